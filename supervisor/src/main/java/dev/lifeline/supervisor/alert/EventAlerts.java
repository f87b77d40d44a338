package dev.lifeline.supervisor.alert;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lifeline.supervisor.event.Event;
import dev.lifeline.supervisor.event.EventSink;

/**
 * Where events become alerts: each event gets a severity and a unique id and goes through the {@link AlertGate} to
 * the outbox. {@link #publish} only hands the event over; the gate and the outbox's fsync run on another thread.
 */
public final class EventAlerts implements EventSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventAlerts.class);
    static final String PREFIX = "lifeline: ";
    /** Events waiting for the fsync; far more than a real burst. */
    static final int QUEUE = 1_000;
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final AlertGate gate;
    private final Executor handOff;
    private final ThreadPoolExecutor own;

    /** @param handOff runs the gate and the outbox write; tests pass {@code Runnable::run} */
    public EventAlerts(AlertGate gate, Executor handOff) {
        this(gate, handOff, null);
    }

    private EventAlerts(AlertGate gate, Executor handOff, ThreadPoolExecutor own) {
        this.gate = gate;
        this.handOff = handOff;
        this.own = own;
    }

    /** For the daemon: one thread ({@code lifeline-alerts}), stopped by {@link #close()}. */
    public static EventAlerts start(AlertGate gate) {
        // When the queue is full the publisher writes the alert itself: a few milliseconds of fsync for the caller
        // beats losing an alert; it never waits for a channel.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "lifeline-alerts");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
        return new EventAlerts(gate, pool, pool);
    }

    @Override
    public void publish(Event event) {
        Alert alert = toAlert(event);
        handOff.execute(() -> {
            try {
                if (resolves(event.kind())) {
                    gate.resolved(alert);
                } else {
                    gate.problem(alert);
                }
            } catch (RuntimeException e) {
                LOG.error("alert {} ({}) could not be put in the outbox: {}", alert.id(), alert.condition(), e.toString());
            }
        });
    }

    static Alert toAlert(Event e) {
        String id = ID_TIME.format(e.at()) + "-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
        return new Alert(id, e.at(), severity(e.kind()), e.condition(), PREFIX + e.text());
    }

    /** Exhaustive on purpose: a new kind of event must be given a severity here. */
    static Severity severity(Event.Kind kind) {
        return switch (kind) {
            case OUTAGE_STARTED, OUTAGE_ENDED, BASTION_STARTED, BASTION_STOPPED, HOST_KEY_MISMATCH -> Severity.IMMEDIATE;
            case BASTION_CONTROL_FAILED, STOP_DEFERRED, BACKUP_PROBLEM, BACKUP_RESOLVED, FORWARD_REFUSED, AUTH_REFUSED -> Severity.NORMAL;
        };
    }

    static boolean resolves(Event.Kind kind) {
        return kind == Event.Kind.BACKUP_RESOLVED || kind == Event.Kind.OUTAGE_ENDED;
    }

    /** Lets queued events reach the outbox (bounded wait), then stops the thread. */
    @Override
    public void close() {
        if (own == null) {
            return;
        }
        own.shutdown();
        try {
            if (!own.awaitTermination(10, TimeUnit.SECONDS)) {
                own.shutdownNow();
            }
        } catch (InterruptedException e) {
            own.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
