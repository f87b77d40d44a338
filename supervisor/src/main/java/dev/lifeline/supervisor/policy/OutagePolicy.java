package dev.lifeline.supervisor.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lifeline.supervisor.cloud.BastionControl;
import dev.lifeline.supervisor.cloud.BastionMode;
import dev.lifeline.supervisor.cloud.BastionStatus;
import dev.lifeline.supervisor.cloud.CloudException;
import dev.lifeline.supervisor.event.Event;
import dev.lifeline.supervisor.event.EventSink;
import dev.lifeline.supervisor.link.LinkState;
import dev.lifeline.supervisor.link.LinkTransition;
import dev.lifeline.supervisor.retry.Backoff;

/**
 * When the bastion runs. {@code on-outage}: the primary declared DOWN starts it once (and the tunnels are told to
 * reconnect at once); the primary UP for {@code recoveryHold} stops it — never before {@code minOn}, never while a
 * connection is open through a tunnel. A primary that flaps inside the hold only restarts the hold, so flapping
 * never flaps the bastion. {@code always-on}: the bastion is kept running; outages are still announced.
 * <p>
 * Inputs arrive from the link monitor ({@link #primaryChanged}) and a periodic {@link #tick()}; time comes from the
 * injected clock. Cloud calls run on {@code cloudCalls} (one thread in the daemon, the caller's in tests) so a slow
 * provider never holds up the link monitor. A failed call raises an event and is retried later; it never crashes.
 */
public final class OutagePolicy {
    private static final Logger LOG = LoggerFactory.getLogger(OutagePolicy.class);
    /** A cloud call that failed is tried again after 30 s, doubling to every 10 min; no jitter: one home, one call. */
    static final Backoff CLOUD_RETRIES = Backoff.startingAt(Duration.ofSeconds(30)).doublingUpTo(Duration.ofMinutes(10));
    static final Duration RETRY_FIRST = CLOUD_RETRIES.first();
    static final Duration RETRY_MAX = CLOUD_RETRIES.cap();
    /** How often the bastion's real state is read again, to see what was changed by hand. */
    static final Duration RECHECK = Duration.ofMinutes(10);
    /** A stop held back by open connections this long is announced. */
    static final Duration DEFER_ANNOUNCE_AFTER = Duration.ofHours(2);

    /** What we know of the bastion: the cloud's word, as far as our own calls and the last status tell. */
    enum Bastion { UNKNOWN, OFF, ON }

    private final BastionMode mode;
    private final PolicySection timing;
    private final BastionControl bastion;
    private final Runnable reconnectTunnels;
    private final IntSupplier openConnections;
    private final EventSink events;
    private final Clock clock;
    private final Executor cloudCalls;
    private final Duration awaitTimeout;
    private final PolicyMemoryFile memoryFile;

    private LinkState primary = LinkState.UP;
    private Instant primaryUpSince;
    private Bastion known = Bastion.UNKNOWN;
    private PolicyMemory memory;
    private boolean busy;
    private Instant nextAttempt = Instant.MIN;
    private final Backoff.Counter cloudFailures = CLOUD_RETRIES.counter(null);
    private Instant deferredSince;
    private boolean deferAnnounced;
    private Instant lastRead;
    private long starts;
    private long stops;

    public OutagePolicy(BastionMode mode, PolicySection timing, BastionControl bastion, Runnable reconnectTunnels,
                        IntSupplier openConnections, EventSink events, Clock clock, Executor cloudCalls,
                        Duration awaitTimeout, PolicyMemoryFile memoryFile) {
        this.mode = mode;
        this.timing = timing;
        this.bastion = bastion;
        this.reconnectTunnels = reconnectTunnels;
        this.openConnections = openConnections;
        this.events = events;
        this.clock = clock;
        this.cloudCalls = cloudCalls;
        this.awaitTimeout = awaitTimeout;
        this.memoryFile = memoryFile;
        this.memory = memoryFile.load();
        this.primaryUpSince = clock.instant();
    }

    /**
     * Reads the bastion's real state from the cloud (on the cloud thread): once at start, again after any call that
     * failed or did not end where it should, and every {@link #RECHECK} so a bastion started or stopped by hand
     * (`lifeline bastion start`) is seen. A bastion found running is adopted: it is stopped by the usual rule, with
     * {@code minOn} counted from when we started it (remembered) or from now.
     */
    public synchronized void reconcile() {
        if (!busy) {
            busy = true;
            cloudCalls.execute(this::read);
        }
    }

    private void read() {
        BastionStatus status;
        try {
            status = bastion.status();
        } catch (RuntimeException e) {
            synchronized (this) {
                busy = false;
                known = Bastion.UNKNOWN;
                failed("read", "read the bastion's state", e);
            }
            return;
        }
        synchronized (this) {
            busy = false;
            Instant now = clock.instant();
            lastRead = now;
            cloudFailures.reset();
            nextAttempt = Instant.MIN;
            if (status.state().isOnOrComing()) {
                if (known != Bastion.ON) {
                    LOG.info("bastion {} is {} ({}); adopting it", bastion.describe(), status.state(), status.detail());
                }
                known = Bastion.ON;
                if (memory.bastionSince() == null) {
                    remember(new PolicyMemory(memory.outageSince(), memory.lastGood(), now));
                }
            } else if (status.state() == BastionStatus.State.GONE) {
                known = Bastion.OFF;
                events.publish(new Event(now, Event.Kind.BASTION_CONTROL_FAILED, "bastion.control.gone",
                        "bastion " + bastion.describe() + " is gone (" + status.detail() + "); run pulumi up and lifeline import"));
            } else if (status.state() == BastionStatus.State.UNKNOWN) {
                known = Bastion.UNKNOWN;
                nextAttempt = now.plus(RETRY_FIRST);
                LOG.warn("bastion {} reports a state lifeline does not know ({}); reading again at {}", bastion.describe(),
                        status.detail(), Times.clock(nextAttempt, clock));
            } else {
                if (known != Bastion.OFF) {
                    LOG.info("bastion {} is {} ({})", bastion.describe(), status.state(), status.detail());
                }
                known = Bastion.OFF;
                if (memory.bastionSince() != null) {
                    remember(new PolicyMemory(memory.outageSince(), memory.lastGood(), null));
                }
            }
            decide(now);
        }
    }

    public synchronized void primaryChanged(LinkTransition t) {
        primary = t.to();
        Instant now = clock.instant();
        if (t.to() == LinkState.DOWN) {
            primaryUpSince = null;
            deferredSince = null;
            deferAnnounced = false;
            if (memory.outageSince() == null) {
                remember(new PolicyMemory(t.at(), t.lastGood(), memory.bastionSince()));
                events.publish(new Event(now, Event.Kind.OUTAGE_STARTED, "primary.outage",
                        "primary line DOWN at " + Times.clock(t.at(), clock) + (t.lastGood() == null ? "" : ", last good " + Times.clock(t.lastGood(), clock))
                                + " (" + t.why() + ")" + (mode == BastionMode.ON_OUTAGE && known != Bastion.ON ? "; starting bastion " + bastion.describe() : "")));
            }
        } else {
            primaryUpSince = t.at();
            LOG.info("primary line UP at {}; the bastion stops after {} of it", Times.clock(t.at(), clock), Times.span(timing.recoveryHold()));
        }
        decide(now);
    }

    /** Called every few seconds: the hold, the retry times and the periodic re-read are checked here. */
    public synchronized void tick() {
        Instant now = clock.instant();
        if (!busy && !now.isBefore(nextAttempt) && lastRead != null && !now.isBefore(lastRead.plus(RECHECK))) {
            reconcile();
            return;
        }
        decide(now);
    }

    private void decide(Instant now) {
        if (busy || now.isBefore(nextAttempt)) {
            return;
        }
        if (known == Bastion.UNKNOWN) {
            // never act on a guess: a start or stop that half happened, or a read that failed, is read again first
            reconcile();
            return;
        }
        boolean wantOn = mode == BastionMode.ALWAYS_ON || primary == LinkState.DOWN;
        if (wantOn && known != Bastion.ON) {
            busy = true;
            cloudCalls.execute(this::start);
            return;
        }
        if (mode == BastionMode.ON_OUTAGE && primary == LinkState.UP && (known == Bastion.ON || memory.outageSince() != null)) {
            considerStop(now);
        } else if (mode == BastionMode.ALWAYS_ON && primary == LinkState.UP && memory.outageSince() != null
                && primaryUpSince != null && Duration.between(primaryUpSince, now).compareTo(timing.recoveryHold()) >= 0) {
            endOutage(now, primaryUpSince, null);
        }
    }

    private void considerStop(Instant now) {
        Instant upSince = primaryUpSince;
        if (upSince == null || Duration.between(upSince, now).compareTo(timing.recoveryHold()) < 0) {
            return;
        }
        if (known != Bastion.ON) {
            // The outage ended while the bastion was not running (a failed start, or it was stopped by hand).
            endOutage(now, upSince, null);
            return;
        }
        Instant on = memory.bastionSince() == null ? now : memory.bastionSince();
        if (Duration.between(on, now).compareTo(timing.minOn()) < 0) {
            return;
        }
        int open = openConnections.getAsInt();
        if (open > 0) {
            deferStop(now, open);
            return;
        }
        deferredSince = null;
        deferAnnounced = false;
        busy = true;
        cloudCalls.execute(() -> stop(upSince));
    }

    /** Never cut a person off; but a connection nobody closes (a forgotten session) must not bill for ever unseen. */
    private void deferStop(Instant now, int open) {
        if (deferredSince == null) {
            deferredSince = now;
            LOG.info("primary is back, but {} connection(s) are open through the tunnels; the bastion stops when they close", open);
        } else if (!deferAnnounced && Duration.between(deferredSince, now).compareTo(DEFER_ANNOUNCE_AFTER) >= 0) {
            deferAnnounced = true;
            events.publish(new Event(now, Event.Kind.STOP_DEFERRED, "bastion.stop.deferred",
                    "primary line back for " + Times.span(Duration.between(primaryUpSince, now)) + ", but " + open
                            + " connection(s) still open through the tunnels keep bastion " + bastion.describe()
                            + " running; it stops when they close"));
        }
    }

    private void start() {
        Instant asked = clock.instant();
        BastionStatus after;
        try {
            bastion.start();
            after = bastion.await(BastionStatus.State.RUNNING, awaitTimeout);
        } catch (RuntimeException e) {
            synchronized (this) {
                busy = false;
                known = Bastion.UNKNOWN;
                failed("start", "start the bastion", e);
            }
            return;
        }
        boolean running = after.state() == BastionStatus.State.RUNNING;
        synchronized (this) {
            busy = false;
            starts++;
            cloudFailures.reset();
            Instant now = clock.instant();
            lastRead = now;
            // still on its way: it will be read again rather than started a second time
            known = after.state().isOnOrComing() ? Bastion.ON : Bastion.UNKNOWN;
            remember(new PolicyMemory(memory.outageSince(), memory.lastGood(), now));
            String how = running ? "running in " + Times.span(Duration.between(asked, now))
                    : "asked to start, still " + after.detail() + " after " + Times.span(awaitTimeout);
            events.publish(new Event(now, Event.Kind.BASTION_STARTED, "bastion.state", "bastion " + bastion.describe() + " " + how
                    + (after.publicIp() == null ? "" : " at " + after.publicIp())));
        }
        // Outside the lock: the tunnels wake and connect on their own threads.
        reconnectTunnels.run();
        synchronized (this) {
            decide(clock.instant());
        }
    }

    private void stop(Instant upSince) {
        BastionStatus after;
        try {
            bastion.stop();
            after = bastion.await(BastionStatus.State.STOPPED, awaitTimeout);
        } catch (RuntimeException e) {
            synchronized (this) {
                busy = false;
                known = Bastion.UNKNOWN;
                failed("stop", "stop the bastion", e);
            }
            return;
        }
        synchronized (this) {
            busy = false;
            stops++;
            cloudFailures.reset();
            Instant now = clock.instant();
            lastRead = now;
            known = after.state().isOffOrGoing() ? Bastion.OFF : Bastion.UNKNOWN;
            Instant ranSince = memory.bastionSince();
            Duration ran = ranSince == null ? null : Duration.between(ranSince, now);
            if (primary == LinkState.DOWN) {
                // The line failed again while the stop was under way: the same outage goes on, and the bastion is
                // started again at once by decide() below.
                remember(new PolicyMemory(memory.outageSince(), memory.lastGood(), null));
                events.publish(new Event(now, Event.Kind.BASTION_STOPPED, "bastion.state", "bastion " + bastion.describe()
                        + " stopped after running " + (ran == null ? "?" : Times.span(ran)) + ", but the primary line failed again meanwhile; starting it again"));
            } else {
                endOutage(now, upSince, ran);
            }
            decide(now);
        }
    }

    private void endOutage(Instant now, Instant upSince, Duration ran) {
        Instant began = memory.outageSince();
        remember(PolicyMemory.EMPTY);
        StringBuilder text = new StringBuilder("primary line back since ").append(Times.clock(upSince, clock));
        if (began != null) {
            text.append("; outage ").append(Times.clock(began, clock)).append("–").append(Times.clock(upSince, clock))
                    .append(" (").append(Times.span(Duration.between(began, upSince))).append(')');
        }
        if (ran != null) {
            text.append("; bastion ").append(bastion.describe()).append(" stopped after running ").append(Times.span(ran));
            events.publish(new Event(now, Event.Kind.BASTION_STOPPED, "bastion.state", "bastion " + bastion.describe() + " stopped after running " + Times.span(ran)));
        }
        events.publish(new Event(now, Event.Kind.OUTAGE_ENDED, "primary.outage", text.toString()));
    }

    /**
     * A cloud call that failed: retried with backoff (every {@link #RETRY_MAX} when a person must act first), and one
     * event per operation and kind of failure, so a refusal at start-up never hides one during an outage.
     */
    private void failed(String operation, String what, RuntimeException e) {
        Instant now = clock.instant();
        boolean permanent = e instanceof CloudException c && c.permanent();
        // Our CloudException messages are written for people and carry no secret; anything else is a bug or a
        // library surprise, named by its class only.
        String reason = e instanceof CloudException ? e.getMessage() : "unexpected " + e.getClass().getName();
        if (!(e instanceof CloudException)) {
            LOG.error("could not {}: unexpected {}", what, e.getClass().getName(), e);
        }
        Duration wait = cloudFailures.next();
        nextAttempt = now.plus(permanent ? RETRY_MAX : wait);
        LOG.warn("could not {} ({}); trying again at {}", what, reason, Times.clock(nextAttempt, clock));
        events.publish(new Event(now, Event.Kind.BASTION_CONTROL_FAILED, "bastion.control." + operation + (permanent ? ".needs-you" : ""),
                "could not " + what + " " + bastion.describe() + ": " + reason
                        + (permanent ? " — needs you; " : "; ") + "next try " + Times.clock(nextAttempt, clock)));
    }

    private void remember(PolicyMemory m) {
        memory = m;
        memoryFile.save(m);
    }

    /** For status and tests. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(mode, primary, known.name(), memory.outageSince(), primaryUpSince, memory.bastionSince(), starts, stops, busy);
    }

    public record Snapshot(BastionMode mode, LinkState primary, String bastion, Instant outageSince, Instant primaryUpSince,
                           Instant bastionSince, long starts, long stops, boolean cloudCallInFlight) {
    }
}
