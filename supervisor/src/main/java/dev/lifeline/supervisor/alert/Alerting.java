package dev.lifeline.supervisor.alert;

import java.nio.file.Path;
import java.time.Clock;

import dev.lifeline.supervisor.event.Event;
import dev.lifeline.supervisor.event.EventSink;

/**
 * The daemon's alert path from the {@code alerts:} config: events → noise control → durable outbox → the channels in
 * their order. One object to start and to close, so the daemon cannot wire the parts in the wrong order.
 */
public final class Alerting implements EventSink, AutoCloseable {
    private final Outbox outbox;
    private final EventAlerts events;

    private Alerting(Outbox outbox, EventAlerts events) {
        this.outbox = outbox;
        this.events = events;
    }

    /**
     * Reads the channels' secret files, reopens what the outbox still holds from before a restart, and starts
     * delivering.
     *
     * @throws dev.lifeline.supervisor.settings.ConfigException a secret file that is missing or readable by others
     */
    public static Alerting start(AlertsSection cfg, Path stateDir, Clock clock) {
        OutboxSettings settings = OutboxSettings.DEFAULTS.withFallbackAfter(cfg.fallbackAfter())
                .withRate(cfg.ratePerHour(), cfg.ratePerHour());
        Outbox outbox = Outbox.open(stateDir, Notifiers.fromConfig(cfg), settings);
        AlertGate gate = new AlertGate(new NoiseSettings(cfg.repeatAfter()), clock, outbox::submit);
        return new Alerting(outbox, EventAlerts.start(gate));
    }

    @Override
    public void publish(Event event) {
        events.publish(event);
    }

    public OutboxStatus status() {
        return outbox.status();
    }

    /** Events first (what is queued reaches the outbox), then the outbox (what is on disk stays there for next time). */
    @Override
    public void close() {
        events.close();
        outbox.close();
    }
}
