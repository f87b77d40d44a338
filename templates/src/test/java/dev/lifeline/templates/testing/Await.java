package dev.lifeline.templates.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Bounded waiting for a condition in real-time tests: polls, never sleeps past the bound. */
public final class Await {
    private Await() {
    }

    /** Returns how long it took, or throws with {@code what} when the bound passes. */
    public static Duration until(String what, Duration bound, BooleanSupplier condition) {
        Instant start = Instant.now();
        Instant until = start.plus(bound);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("not within " + bound + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
        return Duration.between(start, Instant.now());
    }
}
