package dev.lifeline.supervisor.alert;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every alert is on disk before any channel sees it, and stays there until each channel it must reach has accepted it
 * or been given up on. Survives {@code kill -9}: at start the records are read back and only the channels that have
 * not accepted are sent to.
 * <p>
 * Crash window: a channel's acceptance is persisted right after {@link Notifier#send} returns. A crash between the
 * channel accepting and that fsync (milliseconds, plus the time the send takes to return after the provider accepted)
 * resends that one alert to that one channel after restart, carrying the same id. Every other channel's state is
 * already on disk and is not repeated. A crash after the last acceptance but before the unlink only leaves a settled
 * record, which the next start deletes without sending.
 * <p>
 * Delivery runs on the scheduler's thread; {@link #submit} returns once the record is fsynced.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    /** After a bug in a round, try again this much later rather than stopping delivery. */
    static final Duration ROUND_FAILED_RETRY = Duration.ofSeconds(30);
    /** Rounds never follow each other closer than this, so a wrong "due now" cannot become a busy loop. */
    static final Duration MIN_ROUND_GAP = Duration.ofMillis(50);

    private final OutboxStore store;
    private final List<Notifier> channels;
    private final OutboxSettings settings;
    private final Clock clock;
    private final Scheduler scheduler;
    private final boolean ownsScheduler;
    private final Dispatcher dispatcher;
    private final StatusBoard board;
    private volatile OutboxStatus status;
    private volatile boolean closed;
    /** The earliest round already planned; touched on the delivery thread only. */
    private Instant plannedRound;

    private Outbox(Path stateDir, List<Notifier> channels, OutboxSettings settings, Clock clock, Scheduler scheduler,
                   boolean ownsScheduler, RandomGenerator random) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("the outbox needs at least one alert channel");
        }
        Set<String> names = new HashSet<>();
        channels.forEach(c -> {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("alert channel names must be unique (\"" + c.name() + "\" twice)");
            }
        });
        this.store = new OutboxStore(stateDir);
        this.channels = List.copyOf(channels);
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
        this.ownsScheduler = ownsScheduler;
        this.board = new StatusBoard(channels.stream().map(Notifier::name).toList());
        this.dispatcher = new Dispatcher(store, channels, settings, clock, random, board);
    }

    /**
     * For the daemon: the system clock and one delivery thread of its own ({@code lifeline-outbox}), stopped by
     * {@link #close()}.
     */
    public static Outbox open(Path stateDir, List<Notifier> channels, OutboxSettings settings) {
        Clock clock = Clock.systemUTC();
        return start(new Outbox(stateDir, channels, settings, clock, Scheduler.realTime(clock, "lifeline-outbox"), true,
                RandomGenerator.getDefault()));
    }

    /** With the caller's clock and scheduler (tests run hours in milliseconds); the caller closes the scheduler. */
    public static Outbox open(Path stateDir, List<Notifier> channels, OutboxSettings settings, Clock clock,
                              Scheduler scheduler, RandomGenerator random) {
        return start(new Outbox(stateDir, channels, settings, clock, scheduler, false, random));
    }

    private static Outbox start(Outbox outbox) {
        List<OutboxRecord> loaded = outbox.store.load();
        for (OutboxRecord r : loaded) {
            outbox.dispatcher.add(outbox.forConfiguredChannels(r));
        }
        if (!loaded.isEmpty()) {
            LOG.info("outbox: {} alerts from before the restart", loaded.size());
        }
        outbox.status = outbox.board.snapshot(outbox.clock.instant(), outbox.dispatcher.records(), outbox.store.writeFailures());
        outbox.scheduler.runAt(outbox.clock.instant(), () -> outbox.round(null));
        return outbox;
    }

    /**
     * Writes the alert to the outbox (fsync) and returns; delivery happens on the outbox's thread. After
     * {@link #close()} the alert is still written and goes out at the next start.
     *
     * When the disk refuses it (full, read-only), the alert is still delivered, from memory: the failure is logged and
     * counted ({@link OutboxStatus#writeFailures()}), and only a stop before delivery loses it.
     *
     * @throws IllegalArgumentException an id that cannot be a file name
     */
    public void submit(Alert alert) {
        OutboxStore.checkId(alert.id());
        OutboxRecord r = new OutboxRecord(alert, initialChannels(alert));
        store.tryWrite(r);
        if (closed) {
            LOG.warn("outbox: alert {} ({}) arrived after the outbox stopped; it goes out at the next start", alert.id(), alert.condition());
            return;
        }
        scheduler.runAt(clock.instant(), () -> {
            dispatcher.add(r);
            round(null);
        });
    }

    /** The last round's picture; cheap, any thread. */
    public OutboxStatus status() {
        return status;
    }

    /** @param planned the time this round was planned for, or null for a round a submit asked for */
    private void round(Instant planned) {
        if (closed) {
            return;
        }
        if (planned != null && planned.equals(plannedRound)) {
            plannedRound = null;
        }
        Instant next;
        try {
            next = dispatcher.round();
        } catch (RuntimeException e) {
            // a disk that refuses a write or a bug must not end delivery: the records on disk are still the truth
            LOG.error("outbox: delivery round failed, trying again in {}: {}", ROUND_FAILED_RETRY, e.toString());
            next = clock.instant().plus(ROUND_FAILED_RETRY);
        }
        status = board.snapshot(clock.instant(), dispatcher.records(), store.writeFailures());
        Instant soonest = clock.instant().plus(MIN_ROUND_GAP);
        if (next != null && next.isBefore(soonest)) {
            next = soonest;
        }
        if (next != null && (plannedRound == null || next.isBefore(plannedRound))) {
            Instant at = next;
            plannedRound = at;
            scheduler.runAt(at, () -> round(at));
        }
    }

    private Map<String, ChannelState> initialChannels(Alert alert) {
        Map<String, ChannelState> targets = new LinkedHashMap<>();
        Instant now = clock.instant();
        if (settings.fanout(alert.severity()) == OutboxSettings.Fanout.EVERY_CHANNEL) {
            channels.forEach(c -> targets.put(c.name(), ChannelState.pending(now)));
        } else {
            targets.put(channels.get(0).name(), ChannelState.pending(now));
        }
        return targets;
    }

    /** A record written under another config: channels no longer configured are dropped, so it cannot wait forever. */
    private OutboxRecord forConfiguredChannels(OutboxRecord r) {
        OutboxRecord kept = r;
        for (String name : r.channels().keySet()) {
            if (channels.stream().noneMatch(c -> c.name().equals(name))) {
                LOG.warn("outbox: alert {} was owed to channel {}, which is no longer configured", r.id(), name);
                kept = kept == null ? null : kept.without(name);
            }
        }
        if (kept == null) {
            kept = new OutboxRecord(r.alert(), initialChannels(r.alert()));
        }
        if (kept != r) {
            store.tryWrite(kept);
        }
        return kept;
    }

    /** Stops delivery; waits a bounded time for a send in flight. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (ownsScheduler) {
            scheduler.close();
        }
    }

    @Override
    public String toString() {
        OutboxStatus s = status;
        return "Outbox[" + store.dir() + ", " + (closed ? "closed" : (s == null ? "?" : s.pending()) + " pending") + "]";
    }
}
