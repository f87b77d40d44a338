package dev.lifeline.supervisor.alert;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One alert in the outbox and where it stands with each channel it must reach (in the configured order). It leaves
 * the outbox when no channel is pending any more.
 */
record OutboxRecord(Alert alert, Map<String, ChannelState> channels) {

    OutboxRecord {
        if (alert == null || channels == null || channels.isEmpty()) {
            throw new IllegalArgumentException("an outbox record needs its alert and at least one channel");
        }
        channels = Collections.unmodifiableMap(new LinkedHashMap<>(channels));
    }

    String id() {
        return alert.id();
    }

    OutboxRecord with(String channel, ChannelState state) {
        Map<String, ChannelState> next = new LinkedHashMap<>(channels);
        next.put(channel, state);
        return new OutboxRecord(alert, next);
    }

    OutboxRecord without(String channel) {
        Map<String, ChannelState> next = new LinkedHashMap<>(channels);
        next.remove(channel);
        return next.isEmpty() ? null : new OutboxRecord(alert, next);
    }

    boolean settled() {
        return channels.values().stream().noneMatch(ChannelState::pending);
    }

    boolean acceptedAnywhere() {
        return channels.values().stream().anyMatch(s -> s.phase() == ChannelState.Phase.ACCEPTED);
    }
}
