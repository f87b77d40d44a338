package dev.lifeline.supervisor.tunnel;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

import dev.lifeline.supervisor.retry.Backoff;

/**
 * When to try again, for one tunnel. A session that had been healthy is retried at once (its loss is news,
 * not a pattern); failures in a row back off exponentially with jitter up to the cap; a failure only an admin
 * can fix waits the full cap. {@link #reconnectNow()} (the bastion was just started) forgets the backoff.
 */
final class ReconnectPolicy {
    private final TunnelSettings settings;
    private final Backoff.Counter backoff;

    ReconnectPolicy(TunnelSettings settings, RandomGenerator random) {
        this.settings = settings;
        this.backoff = settings.backoff().counter(random);
    }

    /**
     * @param upSince when the session that just ended came up, or null if the attempt failed before that
     */
    Duration delayAfter(FailureKind kind, Instant upSince, Instant now) {
        if (upSince != null && !Duration.between(upSince, now).minus(settings.healthyAfter()).isNegative()) {
            backoff.reset();
            return Duration.ZERO;
        }
        if (kind.needsAdmin()) {
            return settings.backoffMax();
        }
        return backoff.next();
    }

    void reconnectNow() {
        backoff.reset();
    }

    int failuresInARow() {
        return backoff.failures();
    }
}
