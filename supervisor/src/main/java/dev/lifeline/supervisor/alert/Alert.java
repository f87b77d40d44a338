package dev.lifeline.supervisor.alert;

import java.time.Instant;

/**
 * A message lifeline decided to send. Made from an {@link dev.lifeline.supervisor.event.Event}; written to the outbox
 * before any channel sees it.
 *
 * @param id        unique and stable across restarts: a retry after a crash carries the same id, so a channel that
 *                  already accepted it is not sent it again
 * @param condition the dedup key ({@code backup.health}, {@code primary.outage}, …)
 * @param text      short, with the facts; never a secret
 */
public record Alert(String id, Instant at, Severity severity, String condition, String text) {
    public Alert {
        if (id == null || id.isBlank() || at == null || severity == null || condition == null || text == null) {
            throw new IllegalArgumentException("id, at, severity, condition and text are required");
        }
    }
}
