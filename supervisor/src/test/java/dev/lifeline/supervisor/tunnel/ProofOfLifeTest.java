package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The liveness rule on a clock of the test's own (nanoseconds as System.nanoTime gives them, from an odd origin). */
class ProofOfLifeTest {
    private static final long T0 = -7_000_000_000L; // nanoTime may be negative and wraps: only differences count
    private static final long DEAD_AFTER = Duration.ofSeconds(5).toNanos();

    private static long at(double seconds) {
        return T0 + (long) (seconds * 1e9);
    }

    @Test
    void silenceWithoutAKeepaliveOutstandingIsNeverDeath() {
        ProofOfLife life = new ProofOfLife(at(0));
        life.read(at(1));

        assertThat(life.dead(at(60), DEAD_AFTER)).as("no keepalive sent: nothing was asked, nothing is missing").isFalse();
        assertThat(life.outstanding()).isFalse();
    }

    @Test
    void aKeepaliveOutstandingAndNothingReadForDeadAfterIsDeath() {
        ProofOfLife life = new ProofOfLife(at(0));
        life.read(at(1));
        life.keepaliveSent(at(1.5));

        assertThat(life.outstanding()).isTrue();
        assertThat(life.dead(at(5.99), DEAD_AFTER)).as("4.99 s of silence").isFalse();
        assertThat(life.dead(at(6.0), DEAD_AFTER)).as("5 s of silence since the last byte").isTrue();
    }

    @Test
    void anyByteReadIsProofOfLifeNotOnlyTheKeepalivesAnswer() {
        ProofOfLife life = new ProofOfLife(at(0));
        life.keepaliveSent(at(0.5));
        life.read(at(4)); // channel data, a window adjust: the keepalive's answer is still stuck behind it

        assertThat(life.outstanding()).as("the byte came after the keepalive").isFalse();
        assertThat(life.dead(at(8), DEAD_AFTER)).isFalse();

        life.keepaliveSent(at(8.5));
        assertThat(life.dead(at(8.9), DEAD_AFTER)).as("4.9 s since the last byte").isFalse();
        assertThat(life.dead(at(9.0), DEAD_AFTER)).as("5 s since the last byte, a keepalive out").isTrue();
    }

    @Test
    void theDeadlineRunsFromTheLastByteNotFromTheKeepalive() {
        // So a path that dies right after a byte is noticed deadAfter later, however late the next keepalive goes out.
        ProofOfLife life = new ProofOfLife(at(0));
        life.read(at(10));
        life.keepaliveSent(at(14.9));

        assertThat(life.dead(at(15.0), DEAD_AFTER)).isTrue();
    }

    @Test
    void keepsTheLongestSilenceSeenWithAKeepaliveOutstanding() {
        ProofOfLife life = new ProofOfLife(at(0));
        life.keepaliveSent(at(0));
        life.dead(at(0.6), DEAD_AFTER);
        life.read(at(0.6));
        life.keepaliveSent(at(1));
        life.dead(at(3.1), DEAD_AFTER);
        life.read(at(3.2));
        life.dead(at(30), DEAD_AFTER); // nothing outstanding: a quiet stretch is not a silence that counts

        assertThat(Duration.ofNanos(life.longestSilence())).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void whatTheKernelHeardCountsLikeARead() {
        ProofOfLife life = new ProofOfLife(at(0));
        life.read(at(1));
        life.keepaliveSent(at(1.5));
        assertThat(life.dead(at(6), DEAD_AFTER)).isTrue();

        life.heard(at(4), at(6)); // an ACK, a segment held behind a lost one
        assertThat(life.dead(at(6), DEAD_AFTER)).isFalse();
        assertThat(life.dead(at(9), DEAD_AFTER)).as("5 s since the kernel heard it").isTrue();
        assertThat(life.outstanding()).as("the SSH layer still waits for a byte").isTrue();
        assertThat(Duration.ofNanos(life.longestKernelSilence())).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theKernelsWordCoversAFewDeadAfterTimesOfSshSilenceNotMore() {
        // a hung sshd (or a relay swallowing the connection): its kernel ACKs every keepalive, no byte ever comes
        ProofOfLife life = new ProofOfLife(at(0));
        life.read(at(1));
        long grace = ProofOfLife.KERNEL_GRACE * DEAD_AFTER;

        assertThat(life.kernelMayVouch(at(1) + grace - 1, DEAD_AFTER, false)).isTrue();
        assertThat(life.kernelMayVouch(at(1) + grace, DEAD_AFTER, false)).isFalse();
        assertThat(life.kernelMayVouch(at(1) + grace, DEAD_AFTER, true))
                .as("our own data being resent: the bastion waits for it, its ACKs are duplicates").isTrue();
        long resendingGrace = ProofOfLife.RESENDING_GRACE * DEAD_AFTER;
        assertThat(resendingGrace).isGreaterThan(grace);
        assertThat(life.kernelMayVouch(at(1) + resendingGrace, DEAD_AFTER, true)).as("but not for ever").isFalse();
        life.read(at(100));
        assertThat(life.kernelMayVouch(at(101), DEAD_AFTER, false)).as("a byte from sshd renews it").isTrue();
    }

    @Test
    void aPathIsQuietOnceAKeepaliveHasWaitedAnIntervalWithNothingReadOrHeard() {
        long interval = Duration.ofSeconds(1).toNanos();
        ProofOfLife life = new ProofOfLife(at(0));
        life.read(at(1));
        assertThat(life.quiet(at(3), interval)).as("nothing asked: a quiet tunnel is not a quiet path").isFalse();

        life.keepaliveSent(at(2));
        assertThat(life.quiet(at(2.6), interval)).as("the answer may still be one round trip away").isFalse();
        assertThat(life.quiet(at(3), interval)).as("the keepalive has waited 1 s").isTrue();

        life.keepaliveSent(at(3));
        life.heard(at(2.9), at(3.1)); // a duplicate ACK: the path carries something, the answer is still missing
        assertThat(life.quiet(at(3.1), interval)).as("counted from the oldest unanswered keepalive").isTrue();

        life.read(at(4));
        assertThat(life.quiet(at(4.5), interval)).as("a byte answers every keepalive before it").isFalse();
        life.keepaliveSent(at(5));
        assertThat(life.quiet(at(5.9), interval)).as("the next one waits its own interval").isFalse();
        assertThat(life.quiet(at(6), interval)).isTrue();
    }
}
