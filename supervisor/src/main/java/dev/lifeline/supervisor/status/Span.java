package dev.lifeline.supervisor.status;

import java.time.Duration;
import java.time.Instant;

/**
 * A stretch of time: an outage, a bastion run, a tunnel being UP or DOWN.
 *
 * @param label what it was ({@code UP}, {@code DOWN}, …), or null when the series says it
 * @param open  still going on: {@code end} is the time of the view, not an end
 */
public record Span(Instant start, Instant end, String label, boolean open) {
    public Duration length() {
        return Duration.between(start, end);
    }

    /** This span clipped to [from, to]; null when it lies outside. */
    Span clip(Instant from, Instant to) {
        Instant s = start.isBefore(from) ? from : start;
        Instant e = end.isAfter(to) ? to : end;
        return e.isBefore(s) || e.equals(s) && !open ? null : new Span(s, e, label, open);
    }
}
