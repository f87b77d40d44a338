package dev.lifeline.supervisor.tunnel;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential from {@code initial}, doubled per failure up to {@code max}, each with
 * ±20 % jitter so tunnels (and many homes after one carrier outage) do not retry in lockstep.
 * Not Failsafe's RetryPolicy: the supervisor must reset it from outside (a healthy session, a bastion
 * that was just started), which a retry policy's internal attempt count cannot do.
 */
public final class Backoff {
    private static final double JITTER = 0.2;

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;
    private int failures;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The wait before the next attempt, counting this failure. */
    public Duration next() {
        long base = initial.toMillis() << Math.min(failures, 20);
        long capped = Math.min(base, max.toMillis());
        failures++;
        double factor = 1 - JITTER + random.nextDouble() * 2 * JITTER;
        return Duration.ofMillis(Math.min(max.toMillis(), Math.round(capped * factor)));
    }

    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }

    @Override
    public String toString() {
        return "Backoff[" + failures + " failures, " + initial + ".." + max + "]";
    }
}
