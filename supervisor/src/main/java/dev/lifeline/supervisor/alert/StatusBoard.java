package dev.lifeline.supervisor.alert;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outbox's memory of how each channel has been doing. Touched by the delivery thread only. */
final class StatusBoard {
    private record Last(Instant success, Instant failure, String reason) {
    }

    private final Map<String, Last> channels = new LinkedHashMap<>();
    private final Deque<OutboxStatus.Failure> failed = new ArrayDeque<>();

    StatusBoard(List<String> channelNames) {
        channelNames.forEach(n -> channels.put(n, new Last(null, null, null)));
    }

    void success(String channel, Instant at) {
        channels.computeIfPresent(channel, (n, l) -> new Last(at, l.failure(), l.reason()));
    }

    void failure(String channel, Instant at, String reason) {
        channels.computeIfPresent(channel, (n, l) -> new Last(l.success(), at, reason));
    }

    void failedForGood(Alert alert, String channel, Instant at, String reason) {
        failed.addLast(new OutboxStatus.Failure(at, alert.id(), alert.condition(), alert.severity(), channel, reason));
        while (failed.size() > OutboxStatus.FAILED_KEPT) {
            failed.removeFirst();
        }
    }

    OutboxStatus snapshot(Instant at, Collection<OutboxRecord> records, long writeFailures) {
        List<OutboxStatus.ChannelStatus> list = new ArrayList<>();
        channels.forEach((name, last) -> list.add(new OutboxStatus.ChannelStatus(name,
                (int) records.stream().filter(r -> r.channels().containsKey(name) && r.channels().get(name).pending()).count(),
                last.success(), last.failure(), last.reason())));
        int pending = (int) records.stream().filter(r -> !r.settled()).count();
        return new OutboxStatus(at, pending, list, new ArrayList<>(failed), writeFailures);
    }
}
