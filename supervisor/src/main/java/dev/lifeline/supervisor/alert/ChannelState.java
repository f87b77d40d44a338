package dev.lifeline.supervisor.alert;

import java.time.Instant;

/**
 * Where one alert stands with one channel; persisted with the alert.
 *
 * @param since       when the channel became one the alert must reach (fallback and give-up count from here)
 * @param attempts    sends tried, successful or not
 * @param nextAttempt not before this (backoff after a transient failure)
 * @param receipt     the channel's id for the accepted message (Twilio SID, …), once accepted
 * @param reason      the last failure, for status and the give-up line; never the alert's text
 */
record ChannelState(Phase phase, Instant since, int attempts, Instant nextAttempt, String receipt, String reason) {

    enum Phase { PENDING, ACCEPTED, FAILED }

    ChannelState {
        if (phase == null || since == null || nextAttempt == null) {
            throw new IllegalArgumentException("phase, since and nextAttempt are required");
        }
    }

    static ChannelState pending(Instant now) {
        return new ChannelState(Phase.PENDING, now, 0, now, null, null);
    }

    ChannelState accepted(String channelReceipt) {
        return new ChannelState(Phase.ACCEPTED, since, attempts + 1, nextAttempt, channelReceipt, reason);
    }

    ChannelState failedTransiently(String why, Instant retryAt) {
        return new ChannelState(Phase.PENDING, since, attempts + 1, retryAt, null, why);
    }

    ChannelState failedForGood(String why, boolean counted) {
        return new ChannelState(Phase.FAILED, since, attempts + (counted ? 1 : 0), nextAttempt, null, why);
    }

    boolean pending() {
        return phase == Phase.PENDING;
    }

    boolean dueAt(Instant now) {
        return pending() && !nextAttempt.isAfter(now);
    }

    /** Has this channel refused or failed it at least once (as opposed to not having been tried yet)? */
    boolean hasFailed() {
        return phase == Phase.FAILED || reason != null;
    }
}
