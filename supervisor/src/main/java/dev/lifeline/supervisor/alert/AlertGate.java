package dev.lifeline.supervisor.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Noise control in front of the outbox: a NORMAL condition is told once per {@code repeatAfter} however often it is
 * raised, and its clearing is told once, only if its problem was told. IMMEDIATE alerts always pass.
 * <p>
 * The per-channel rate limit and the digest live in the outbox, not here: an alert held back for the rate must
 * already be on disk, or a crash would lose it. What this gate drops, it drops on purpose (a repeat).
 * <p>
 * Its memory is not persisted: after a restart a condition that is still a problem is told once more.
 */
public final class AlertGate {
    private static final Logger LOG = LoggerFactory.getLogger(AlertGate.class);

    private record Told(Instant at, int suppressed) {
    }

    private final NoiseSettings settings;
    private final Clock clock;
    private final Consumer<Alert> outbox;
    private final Map<String, Told> told = new HashMap<>();

    /** @param outbox usually {@code outbox::submit} */
    public AlertGate(NoiseSettings settings, Clock clock, Consumer<Alert> outbox) {
        this.settings = settings;
        this.clock = clock;
        this.outbox = outbox;
    }

    /** A condition is (still) a problem. */
    public synchronized void problem(Alert alert) {
        Instant now = clock.instant();
        Told before = told.get(alert.condition());
        if (alert.severity() == Severity.NORMAL && before != null && now.isBefore(before.at().plus(settings.repeatAfter()))) {
            told.put(alert.condition(), new Told(before.at(), before.suppressed() + 1));
            LOG.debug("alert {} ({}) held back: told {} ago", alert.id(), alert.condition(), Duration.between(before.at(), now));
            return;
        }
        Alert out = before == null || before.suppressed() == 0 || alert.severity() == Severity.IMMEDIATE ? alert
                : new Alert(alert.id(), alert.at(), alert.severity(), alert.condition(),
                alert.text() + " (raised " + before.suppressed() + " more times since the last message)");
        told.put(alert.condition(), new Told(now, 0));
        outbox.accept(out);
    }

    /** A condition cleared: told only if its problem was (IMMEDIATE clearings, like an outage's end, always). */
    public synchronized void resolved(Alert alert) {
        Told before = told.remove(alert.condition());
        if (before == null && alert.severity() == Severity.NORMAL) {
            LOG.debug("alert {} ({}) not sent: its problem never was", alert.id(), alert.condition());
            return;
        }
        outbox.accept(alert);
    }

    @Override
    public synchronized String toString() {
        return "AlertGate[" + told.size() + " conditions open, repeatAfter " + settings.repeatAfter() + "]";
    }
}
