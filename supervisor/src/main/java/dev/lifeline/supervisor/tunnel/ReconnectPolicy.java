package dev.lifeline.supervisor.tunnel;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

import dev.lifeline.supervisor.retry.Backoff;

/**
 * When to try again, for one tunnel. A session that had been healthy is retried at once (its loss is news,
 * not a pattern), and while that retry finds the bastion's sshd not answering (restarting: its sessions end the moment
 * it stops, before it listens again) it is tried every {@link #RESTART_RETRY} for {@link #RESTART_WINDOW}, so the
 * tunnel is back within a quarter second of sshd answering instead of after the first backoff step (1 s ± 20 %: the
 * bench measured 1.2 s for a retry that had landed in the restart's gap). Failures in a row back off exponentially
 * with jitter up to the cap; a failure only an admin can fix waits the full cap; a refused bind (a stale listener the
 * bastion's watchdog frees within 5 s) keeps the backoff. {@link #reconnectNow()} (the bastion was just started)
 * forgets the backoff.
 */
final class ReconnectPolicy {
    /** How often a lost healthy session is retried while the bastion's sshd does not answer. */
    static final Duration RESTART_RETRY = Duration.ofMillis(250);
    /** How long after losing a healthy session: a restart of sshd (systemctl restart ssh) takes well under this. */
    static final Duration RESTART_WINDOW = Duration.ofSeconds(3);

    private final TunnelSettings settings;
    private final Backoff.Counter backoff;
    /** Until when NETWORK failures are retried every RESTART_RETRY; null when no healthy session was just lost. */
    private Instant restartWindowEnds;

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
            restartWindowEnds = now.plus(RESTART_WINDOW);
            return Duration.ZERO;
        }
        if (kind == FailureKind.NETWORK && restartWindowEnds != null && now.isBefore(restartWindowEnds)) {
            return RESTART_RETRY;
        }
        restartWindowEnds = null;
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
