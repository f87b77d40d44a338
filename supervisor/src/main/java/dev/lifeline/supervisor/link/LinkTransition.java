package dev.lifeline.supervisor.link;

import java.time.Instant;

/**
 * A line declared UP or DOWN.
 *
 * @param lastGood when a round last succeeded before a DOWN (the outage began after it); null if never, or for UP
 * @param why      the rounds that decided it, e.g. "3 bad rounds in a row (last: tcp://… timeout after 2s)"
 */
public record LinkTransition(String link, LinkState from, LinkState to, Instant at, Instant lastGood, String why) {
}
