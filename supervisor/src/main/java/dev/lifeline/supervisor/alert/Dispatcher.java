package dev.lifeline.supervisor.alert;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lifeline.supervisor.retry.Backoff;

/**
 * One delivery round at a time over the records in the outbox: who is due, within each channel's rate, folded into a
 * digest when NORMAL alerts pile up; each outcome persisted before the next send. Runs on the outbox's one
 * delivery thread only. Logs ids, conditions and channel reasons, never an alert's text.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    /** Transient failures are logged on the first attempt and then every this many, not at every retry of a day-long outage. */
    static final int LOG_EVERY_N_FAILURES = 10;

    private final OutboxStore store;
    private final List<Notifier> channels;
    private final OutboxSettings settings;
    private final Clock clock;
    private final RandomGenerator random;
    private final Backoff retry;
    private final StatusBoard board;
    private final Map<String, TokenBucket> buckets = new LinkedHashMap<>();
    private final Map<String, OutboxRecord> records = new LinkedHashMap<>();
    private final RecordDeadlines deadlines;

    Dispatcher(OutboxStore store, List<Notifier> channels, OutboxSettings settings, Clock clock, RandomGenerator random, StatusBoard board) {
        this.store = store;
        this.channels = List.copyOf(channels);
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.retry = settings.retries();
        this.board = board;
        this.deadlines = new RecordDeadlines(channels.stream().map(Notifier::name).toList(), settings, board);
        channels.forEach(c -> buckets.put(c.name(), new TokenBucket(settings.ratePerHour(), settings.burst(), clock.instant())));
    }

    /** A record already on disk. */
    void add(OutboxRecord r) {
        records.put(r.id(), r);
    }

    Collection<OutboxRecord> records() {
        return records.values();
    }

    /** Sends what is due; returns when the next round is needed, or null when nothing is pending. */
    Instant round() {
        Instant now = clock.instant();
        for (OutboxRecord r : List.copyOf(records.values())) {
            OutboxRecord next = deadlines.apply(r, now);
            if (next != r) {
                save(next);
            }
        }
        for (Notifier channel : channels) {
            List<OutboxRecord> due = records.values().stream()
                    .filter(r -> r.channels().containsKey(channel.name()) && r.channels().get(channel.name()).dueAt(now)).toList();
            TokenBucket bucket = buckets.get(channel.name());
            for (OutboxRecord r : due) {
                if (r.alert().severity() == Severity.IMMEDIATE) {
                    bucket.take(clock.instant());
                    send(channel, List.of(r));
                }
            }
            sendNormal(channel, due.stream().filter(r -> r.alert().severity() == Severity.NORMAL).toList(), bucket);
        }
        for (OutboxRecord r : List.copyOf(records.values())) {
            // a refusal in this round may have made the next channel owed it (fallback at once)
            OutboxRecord after = deadlines.apply(r, clock.instant());
            if (after != r) {
                save(after);
            } else if (r.settled()) {
                records.remove(r.id());
                store.delete(r.id());
                LOG.info("outbox: alert {} ({}) done: {}", r.id(), r.alert().condition(), outcome(r));
            }
        }
        return nextRound();
    }

    private void sendNormal(Notifier channel, List<OutboxRecord> due, TokenBucket bucket) {
        if (due.isEmpty() || bucket.available(clock.instant()) < 1) {
            return;
        }
        if (due.size() <= bucket.available(clock.instant())) {
            for (OutboxRecord r : due) {
                bucket.take(clock.instant());
                send(channel, List.of(r));
            }
            return;
        }
        // more waiting than the rate allows: one message carries them, the rest waits for the next token
        List<OutboxRecord> batch = Digest.fitting(due, settings.digestMaxChars());
        bucket.take(clock.instant());
        send(channel, batch);
    }

    private void send(Notifier channel, List<OutboxRecord> batch) {
        Alert message = batch.size() == 1 ? batch.get(0).alert() : Digest.of(batch);
        String name = channel.name();
        try {
            Delivery d = channel.send(message);
            String receipt = batch.size() == 1 ? d.receipt() : "digest " + message.id() + ": " + d.receipt();
            // persisted at once, per record: a crash from here on cannot make this channel get these alerts again
            batch.forEach(r -> save(current(r).with(name, current(r).channels().get(name).accepted(receipt))));
            board.success(name, clock.instant());
            if (batch.size() > 1) {
                LOG.info("outbox: {} took a digest of {} alerts ({})", name, batch.size(), message.id());
            }
        } catch (NotifierException e) {
            failed(name, batch, e.permanent(), e.getMessage());
        } catch (RuntimeException e) {
            // a channel's bug is not a reason to stop retrying; its message might quote a request, so the class only
            failed(name, batch, false, e.getClass().getSimpleName());
        }
    }

    private void failed(String name, List<OutboxRecord> batch, boolean permanent, String reason) {
        Instant now = clock.instant();
        board.failure(name, now, reason);
        for (OutboxRecord r : batch) {
            OutboxRecord cur = current(r);
            ChannelState s = cur.channels().get(name);
            if (permanent) {
                save(cur.with(name, s.failedForGood(reason, true)));
                board.failedForGood(cur.alert(), name, now, reason);
                LOG.warn("outbox: {} refused alert {} ({}) for good, not retrying it there: {}", name, cur.id(), cur.alert().condition(), reason);
            } else {
                ChannelState next = s.failedTransiently(reason, now.plus(retry.afterFailures(s.attempts() + 1, random)));
                save(cur.with(name, next));
                if (next.attempts() == 1 || next.attempts() % LOG_EVERY_N_FAILURES == 0) {
                    LOG.info("outbox: {} did not take alert {} ({}), attempt {}: {}; next try at {}", name, cur.id(),
                            cur.alert().condition(), next.attempts(), reason, next.nextAttempt());
                }
            }
        }
    }

    private Instant nextRound() {
        Instant now = clock.instant();
        Instant next = null;
        for (OutboxRecord r : records.values()) {
            for (Map.Entry<String, ChannelState> e : r.channels().entrySet()) {
                if (!e.getValue().pending()) {
                    continue;
                }
                Instant t = e.getValue().nextAttempt();
                TokenBucket bucket = buckets.get(e.getKey());
                if (r.alert().severity() == Severity.NORMAL && !t.isAfter(now) && bucket != null) {
                    t = bucket.nextTokenAt(now);
                }
                next = earliest(next, t);
            }
            next = earliest(next, deadlines.next(r));
        }
        return next;
    }

    private OutboxRecord current(OutboxRecord r) {
        return records.getOrDefault(r.id(), r);
    }

    private void save(OutboxRecord r) {
        // memory first: a disk that refuses the write must not stop this alert's delivery
        records.put(r.id(), r);
        store.tryWrite(r);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || b != null && b.isBefore(a) ? b : a;
    }

    private static String outcome(OutboxRecord r) {
        List<String> parts = new ArrayList<>();
        r.channels().forEach((name, s) -> parts.add(name + " " + (s.phase() == ChannelState.Phase.ACCEPTED
                ? "accepted (" + s.receipt() + ")" : "failed (" + s.reason() + ")") + " after " + s.attempts() + " attempts"));
        return String.join(", ", parts);
    }
}
