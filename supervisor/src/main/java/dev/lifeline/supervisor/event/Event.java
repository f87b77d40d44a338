package dev.lifeline.supervisor.event;

import java.time.Instant;

/**
 * Something a person may need to hear about. Every package reports through {@link EventSink}; the alert outbox
 * (a later issue) turns events into messages.
 *
 * @param condition a stable key for deduplication, e.g. {@code backup.health} or {@code tunnel.primary.hostkey}
 * @param text      short, factual, with numbers; never a secret
 */
public record Event(Instant at, Kind kind, String condition, String text) {

    public enum Kind {
        OUTAGE_STARTED, OUTAGE_ENDED,
        BASTION_STARTED, BASTION_STOPPED, BASTION_CONTROL_FAILED, STOP_DEFERRED,
        BACKUP_PROBLEM, BACKUP_RESOLVED,
        HOST_KEY_MISMATCH, FORWARD_REFUSED, AUTH_REFUSED
    }
}
