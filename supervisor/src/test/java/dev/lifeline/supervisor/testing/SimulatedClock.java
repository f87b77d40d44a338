package dev.lifeline.supervisor.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves, so hours of a state machine's time pass in milliseconds. */
public final class SimulatedClock extends Clock {
    private volatile Instant now;
    private final ZoneId zone;

    public SimulatedClock(Instant start) {
        this(start, ZoneOffset.UTC);
    }

    private SimulatedClock(Instant start, ZoneId zone) {
        this.now = start;
        this.zone = zone;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    /** Moves to {@code t} unless the clock is already past it. */
    public void advanceTo(Instant t) {
        if (t.isAfter(now)) {
            now = t;
        }
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new SimulatedClock(now, zone);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
