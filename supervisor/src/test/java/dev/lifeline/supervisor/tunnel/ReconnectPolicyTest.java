package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Hours of a tunnel's life in simulated instants: no waiting. */
class ReconnectPolicyTest {
    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
    private final ReconnectPolicy policy = new ReconnectPolicy(TunnelSettings.DEFAULTS, new Random(5));

    @Test
    void aSessionThatWasHealthyIsRetriedAtOnce() {
        Duration delay = policy.delayAfter(FailureKind.CLOSED, T0, T0.plus(Duration.ofHours(3)));

        assertThat(delay).isZero();
    }

    @Test
    void aHealthySessionLostToAnSshdRestartIsRetriedEveryQuarterSecondUntilSshdAnswers() {
        Instant lost = T0.plus(Duration.ofHours(3));
        assertThat(policy.delayAfter(FailureKind.CLOSED, T0, lost)).isZero();

        // sshd not listening yet: refused, again and again, for the restart window
        Instant now = lost;
        int quick = 0;
        while (now.isBefore(lost.plus(ReconnectPolicy.RESTART_WINDOW))) {
            Duration d = policy.delayAfter(FailureKind.NETWORK, null, now);
            assertThat(d).isEqualTo(Duration.ofMillis(250));
            now = now.plus(d);
            quick++;
        }
        assertThat(quick).isEqualTo(12);
        // past the window: a bastion that stays away gets the normal backoff, from its first step
        assertThat(policy.delayAfter(FailureKind.NETWORK, null, now)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
        assertThat(policy.delayAfter(FailureKind.NETWORK, null, now.plusSeconds(1))).isBetween(Duration.ofMillis(1600),
                Duration.ofMillis(2400));
    }

    @Test
    void aStaleListenerAfterAHealthySessionKeepsTheBackoff() {
        Instant lost = T0.plus(Duration.ofHours(3));
        assertThat(policy.delayAfter(FailureKind.CLOSED, T0, lost)).isZero();

        // the bastion's watchdog frees a stale port within 5 s: quick retries would only raise the refused-bind alert
        assertThat(policy.delayAfter(FailureKind.FORWARD_REFUSED, null, lost.plusMillis(50)))
                .isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
        assertThat(policy.delayAfter(FailureKind.NETWORK, null, lost.plusMillis(1100)))
                .as("the window ended with the first failure of another kind").isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));
    }

    @Test
    void aSessionThatDiedYoungBacksOffLikeAFailedAttempt() {
        Duration first = policy.delayAfter(FailureKind.CLOSED, T0, T0.plusSeconds(2));
        Duration second = policy.delayAfter(FailureKind.CLOSED, T0.plusSeconds(3), T0.plusSeconds(5));

        assertThat(first).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
        assertThat(second).isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));
    }

    @Test
    void aBastionDownForAnHourIsTriedAtLeastEveryThirtySeconds() {
        Instant now = T0;
        Duration longest = Duration.ZERO;
        int attempts = 0;
        while (now.isBefore(T0.plus(Duration.ofHours(1)))) {
            Duration d = policy.delayAfter(FailureKind.NETWORK, null, now);
            longest = d.compareTo(longest) > 0 ? d : longest;
            now = now.plus(d);
            attempts++;
        }

        assertThat(longest).isEqualTo(Duration.ofSeconds(30));
        assertThat(attempts).as("attempts in an hour").isBetween(120, 200);
    }

    @Test
    void aWrongHostKeyWaitsTheWholeCapEveryTime() {
        for (int i = 0; i < 3; i++) {
            assertThat(policy.delayAfter(FailureKind.HOST_KEY_MISMATCH, null, T0)).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void reconnectNowForgetsTheBackoff() {
        for (int i = 0; i < 10; i++) {
            policy.delayAfter(FailureKind.NETWORK, null, T0);
        }
        policy.reconnectNow();

        assertThat(policy.delayAfter(FailureKind.NETWORK, null, T0)).isLessThanOrEqualTo(Duration.ofMillis(1200));
    }
}
