package dev.lifeline.supervisor.status;

import java.time.Instant;

/**
 * The admin's SSH path to the home as the status page shows it. No admin path exists yet (lifeline issue 18 adds it):
 * until its code fills this in, {@link StatusSource#adminPath()} is empty and the page says "not configured" rather
 * than inventing a state.
 *
 * @param state  {@code UP}, {@code DOWN}, {@code CONNECTING} or {@code STOPPED}, as a tunnel's
 * @param since  when it entered that state
 * @param detail why it is not up (a failure kind, the error); null when up. No key, no path to a key.
 */
public record AdminPathView(String state, Instant since, String detail) {
}
