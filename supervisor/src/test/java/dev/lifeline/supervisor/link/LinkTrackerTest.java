package dev.lifeline.supervisor.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** mwan3's counting rules and the egress check, round by round. */
class LinkTrackerTest {
    private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    private final LinkTracker tracker = new LinkTracker("primary", 2, 3, 4, T0);

    private Optional<LinkTransition> round(int answered, int i) {
        return tracker.round(answered, answered < 2 ? "tcp://198.18.1.1:443 timeout" : null, T0.plus(Duration.ofSeconds(5L * i)));
    }

    @Test
    void aRoundNeedsReliabilityAnswersAndDownNeedsThatManyBadRoundsInARow() {
        assertThat(round(1, 1)).isEmpty();
        assertThat(round(1, 2)).isEmpty();
        assertThat(round(2, 3)).as("a good round resets the count").isEmpty();
        assertThat(round(1, 4)).isEmpty();
        assertThat(round(0, 5)).isEmpty();
        LinkTransition down = round(1, 6).orElseThrow();

        assertThat(down.to()).isEqualTo(LinkState.DOWN);
        assertThat(down.lastGood()).isEqualTo(T0.plusSeconds(15));
        assertThat(down.why()).isEqualTo("3 bad rounds in a row (last: tcp://198.18.1.1:443 timeout)");
        assertThat(tracker.state()).isEqualTo(LinkState.DOWN);
    }

    @Test
    void upNeedsUpGoodRoundsInARow() {
        for (int i = 1; i <= 3; i++) {
            round(0, i);
        }
        for (int i = 4; i <= 6; i++) {
            assertThat(round(2, i)).isEmpty();
        }
        assertThat(round(0, 7)).isEmpty();
        for (int i = 8; i <= 10; i++) {
            assertThat(round(3, i)).isEmpty();
        }
        LinkTransition up = round(2, 11).orElseThrow();
        assertThat(up.to()).isEqualTo(LinkState.UP);
        assertThat(up.why()).isEqualTo("4 good rounds in a row");
    }

    @Test
    void anEgressOnTheBackupIspIsDownAtOnceAndKeepsRoundsBadUntilTheEgressIsRightAgain() {
        LinkTransition down = tracker.egressChecked(true, "failed over", T0.plusSeconds(1)).orElseThrow();
        assertThat(down.to()).isEqualTo(LinkState.DOWN);
        for (int i = 1; i <= 10; i++) {
            assertThat(round(2, i)).as("probes answer through the backup: still down").isEmpty();
        }
        assertThat(tracker.egressChecked(false, "primary ISP", T0.plusSeconds(60))).isEmpty();
        for (int i = 13; i <= 15; i++) {
            assertThat(round(2, i)).isEmpty();
        }
        assertThat(round(2, 16)).map(LinkTransition::to).contains(LinkState.UP);
    }
}
