package dev.lifeline.supervisor.alert;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The wait after a channel's n-th failed attempt: exponential from {@code retryInitial} to {@code retryMax}, jittered.
 * <p>
 * Not Failsafe's RetryPolicy, though it reads the same: the attempt count and the next attempt's time must live in
 * the outbox record on disk, so that after a restart the backoff continues where it was (and a fallback or give-up
 * deadline is not reset), and they must follow the injected clock. A Failsafe execution keeps both in memory.
 */
record RetryDelay(Duration initial, Duration max, double jitter) {

    static RetryDelay of(OutboxSettings s) {
        return new RetryDelay(s.retryInitial(), s.retryMax(), s.jitter());
    }

    Duration afterFailures(int failures, RandomGenerator random) {
        long base = initial.toMillis() << Math.min(Math.max(failures - 1, 0), 30);
        long capped = base <= 0 ? max.toMillis() : Math.min(base, max.toMillis());
        double factor = 1 - jitter + random.nextDouble() * 2 * jitter;
        return Duration.ofMillis(Math.max(1, Math.min(max.toMillis(), Math.round(capped * factor))));
    }
}
