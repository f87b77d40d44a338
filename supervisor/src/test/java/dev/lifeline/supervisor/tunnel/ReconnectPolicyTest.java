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
