package dev.lifeline.supervisor.alert;

import java.time.Instant;
import java.util.List;

/**
 * What the outbox is doing, for the status page. Ids, conditions, channel names and the channels' own failure
 * reasons only: never an alert's text (it may name the home's addresses) and never a credential.
 *
 * @param pending alerts still owed to at least one channel
 * @param failed  the latest alerts a channel refused for good or gave up on (newest last, at most
 *                {@link #FAILED_KEPT})
 */
public record OutboxStatus(Instant at, int pending, List<ChannelStatus> channels, List<Failure> failed, long writeFailures) {
    public static final int FAILED_KEPT = 50;

    public OutboxStatus {
        channels = List.copyOf(channels);
        failed = List.copyOf(failed);
    }

    /** @param pending alerts waiting for this channel; last* are null until it happened */
    public record ChannelStatus(String name, int pending, Instant lastSuccess, Instant lastFailure, String lastFailureReason) {
    }

    public record Failure(Instant at, String alertId, String condition, Severity severity, String channel, String reason) {
    }
}
