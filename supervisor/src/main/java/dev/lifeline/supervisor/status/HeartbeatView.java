package dev.lifeline.supervisor.status;

import java.time.Instant;

/**
 * The dead-man's-switch heartbeat as the status page shows it: a ping to an outside watcher that raises the alarm when
 * the pings stop. No heartbeat exists yet (lifeline issue 18 adds it): until its code fills this in,
 * {@link StatusSource#heartbeat()} is empty and the page says "not configured" rather than inventing a state.
 *
 * @param lastBeat  when the last ping went out; null before the first
 * @param delivered whether the watcher accepted it
 * @param detail    a short reason such as "HTTP 503"; never the ping URL (it is the credential)
 * @param nextBeat  when the next ping is due; null when none is scheduled
 */
public record HeartbeatView(Instant lastBeat, boolean delivered, String detail, Instant nextBeat) {
}
