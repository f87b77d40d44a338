package dev.lifeline.supervisor.alert;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two clocks on an undelivered alert: fallback (the last channel tried has kept failing for
 * {@code fallbackAfter}: the next channel must hear it too) and give-up (pending for {@code giveUpAfter}: that
 * channel is marked failed, logged once, shown in status, and the alert can leave the outbox).
 */
final class RecordDeadlines {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final List<String> order;
    private final OutboxSettings settings;
    private final StatusBoard board;

    RecordDeadlines(List<String> order, OutboxSettings settings, StatusBoard board) {
        this.order = List.copyOf(order);
        this.settings = settings;
        this.board = board;
    }

    /** The record with its fallback and give-up applied as of {@code now}; the same instance when nothing changed. */
    OutboxRecord apply(OutboxRecord r, Instant now) {
        OutboxRecord next = fallback(r, now);
        for (Map.Entry<String, ChannelState> e : next.channels().entrySet()) {
            ChannelState s = e.getValue();
            if (s.pending() && !now.isBefore(s.since().plus(settings.giveUpAfter()))) {
                String why = "gave up after " + settings.giveUpAfter() + " and " + s.attempts() + " attempts"
                        + (s.reason() == null ? "" : "; last: " + s.reason());
                next = next.with(e.getKey(), s.failedForGood(why, false));
                board.failedForGood(r.alert(), e.getKey(), now, why);
                LOG.warn("outbox: alert {} ({}) never reached {}: {}", r.id(), r.alert().condition(), e.getKey(), why);
            }
        }
        return next;
    }

    /** The next time {@link #apply} would change the record, or null. */
    Instant next(OutboxRecord r) {
        Instant next = null;
        for (ChannelState s : r.channels().values()) {
            if (s.pending()) {
                Instant t = s.since().plus(settings.giveUpAfter());
                next = next == null || t.isBefore(next) ? t : next;
            }
        }
        Instant fallback = fallbackAt(r);
        return fallback != null && (next == null || fallback.isBefore(next)) ? fallback : next;
    }

    private OutboxRecord fallback(OutboxRecord r, Instant now) {
        Instant at = fallbackAt(r);
        if (at == null || now.isBefore(at)) {
            return r;
        }
        String last = lastTried(r);
        String nextChannel = order.get(order.indexOf(last) + 1);
        ChannelState lastState = r.channels().get(last);
        LOG.warn("outbox: alert {} ({}) also goes to {}: {} has not taken it since {} ({})", r.id(), r.alert().condition(),
                nextChannel, last, lastState.since(), lastState.reason());
        return r.with(nextChannel, ChannelState.pending(now));
    }

    /**
     * When the next channel joins: only for FIRST_WITH_FALLBACK alerts nobody has accepted, only after the last channel
     * really failed (a channel merely held back by its rate limit is not failing), at once after a permanent refusal.
     */
    private Instant fallbackAt(OutboxRecord r) {
        if (settings.fanout(r.alert().severity()) != OutboxSettings.Fanout.FIRST_WITH_FALLBACK || r.acceptedAnywhere()) {
            return null;
        }
        String last = lastTried(r);
        int i = order.indexOf(last);
        if (i < 0 || i + 1 >= order.size()) {
            return null;
        }
        ChannelState s = r.channels().get(last);
        if (!s.hasFailed()) {
            return null;
        }
        return s.phase() == ChannelState.Phase.FAILED ? s.since() : s.since().plus(settings.fallbackAfter());
    }

    private String lastTried(OutboxRecord r) {
        String last = null;
        for (String name : r.channels().keySet()) {
            if (last == null || order.indexOf(name) > order.indexOf(last)) {
                last = name;
            }
        }
        return last;
    }
}
