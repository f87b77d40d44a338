package dev.lifeline.supervisor.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The one retry vocabulary of the supervisor: how long to wait after the n-th failure in a row — from a first wait,
 * doubled per failure up to a cap, each wait spread by ± a share of jitter. Written where it is used as a sentence,
 * {@code Backoff.startingAt(30s).doublingUpTo(10min).withJitter(0.2)}.
 * <p>
 * A value, not Failsafe's RetryPolicy, because every user needs what an execution held inside Failsafe cannot give:
 * the outbox keeps each channel's failure count and next attempt on disk so a restart continues the backoff where it
 * was; the tunnels forget it from outside (a healthy session, a bastion just started); the outage policy plans its
 * next try on the injected clock. The DigitalOcean client's retries of one HTTP call, which need none of that, are
 * Failsafe's.
 */
public record Backoff(Duration first, Duration cap, double jitter) {

    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(cap, "cap");
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("the first wait must be positive (got " + first + ")");
        }
        if (cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("the cap must be at least the first wait (got " + cap + " < " + first + ")");
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1) (got " + jitter + ")");
        }
    }

    /** A wait that never grows and is never spread: refine it with {@link #doublingUpTo} and {@link #withJitter}. */
    public static Backoff startingAt(Duration first) {
        return new Backoff(first, first, 0);
    }

    public Backoff doublingUpTo(Duration cap) {
        return new Backoff(first, cap, jitter);
    }

    public Backoff withJitter(double share) {
        return new Backoff(first, cap, share);
    }

    /**
     * The wait after {@code failures} failures in a row (1 for the first): {@code first × 2^(failures-1)}, capped,
     * times a factor drawn from [1 - jitter, 1 + jitter), never past the cap and never under a millisecond.
     *
     * @param random only drawn from when there is jitter
     */
    public Duration afterFailures(int failures, RandomGenerator random) {
        long base = first.toMillis() << Math.min(Math.max(failures - 1, 0), 30);
        long capped = base <= 0 ? cap.toMillis() : Math.min(base, cap.toMillis());
        double factor = jitter == 0 ? 1 : 1 - jitter + random.nextDouble() * 2 * jitter;
        return Duration.ofMillis(Math.max(1, Math.min(cap.toMillis(), Math.round(capped * factor))));
    }

    /** A count of failures in a row over this backoff, for a caller that waits in memory. */
    public Counter counter(RandomGenerator random) {
        return new Counter(this, random);
    }

    /** Failures in a row and the wait they earn; {@link #reset()} after a success (or when told to try at once). */
    public static final class Counter {
        private final Backoff backoff;
        private final RandomGenerator random;
        private int failures;

        private Counter(Backoff backoff, RandomGenerator random) {
            this.backoff = backoff;
            this.random = random;
        }

        /** Counts one more failure and returns the wait it earns. */
        public Duration next() {
            failures++;
            return backoff.afterFailures(failures, random);
        }

        public void reset() {
            failures = 0;
        }

        public int failures() {
            return failures;
        }

        public Backoff backoff() {
            return backoff;
        }

        @Override
        public String toString() {
            return "Backoff.Counter[" + failures + " failures, " + backoff + "]";
        }
    }
}
