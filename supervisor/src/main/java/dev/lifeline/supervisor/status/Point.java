package dev.lifeline.supervisor.status;

import java.time.Instant;

/** One sample of a series; {@code value} null means "no answer" (drawn as a gap, not as zero). */
public record Point(Instant at, Double value) {
}
