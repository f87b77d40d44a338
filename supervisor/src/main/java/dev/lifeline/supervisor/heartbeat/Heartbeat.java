package dev.lifeline.supervisor.heartbeat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lifeline.supervisor.alert.Scheduler;
import dev.lifeline.supervisor.retry.Backoff;

/**
 * The dead-man's switch: a ping to the outside service every {@code every}, on a fixed rate from the start — "up" while
 * all is well, "fail" while there is {@link Trouble} — so the service alerts when the pings stop (the house is dark,
 * the Pi or the supervisor is dead) or say fail. Nothing is sent on a stop: a supervisor that does not run protects
 * nothing, and saying so is the switch's whole job.
 * <p>
 * A ping that is not delivered is logged (by host only), counted, and tried again sooner than the next period — after
 * 5 s, doubling up to {@code every} — so one lost request never costs a whole period of the service's grace. It runs
 * on its own scheduler thread and is bounded by {@code timeout}, so it never delays anything else.
 */
public final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final String ALL_WELL = "all well";

    private final HeartbeatSection config;
    private final Supplier<Optional<String>> trouble;
    private final Scheduler scheduler;
    private final Clock clock;
    private final PingHttp http;
    private final Backoff.Counter retries;
    /** Only the scheduler's one task touches these. */
    private Instant due;
    private String signalled;
    private volatile HeartbeatState state;
    private volatile boolean closed;

    private Heartbeat(HeartbeatSection config, Supplier<Optional<String>> trouble, Scheduler scheduler, Clock clock, RandomGenerator random) {
        this.config = config;
        this.trouble = trouble;
        this.scheduler = scheduler;
        this.clock = clock;
        this.http = new PingHttp(config.timeout(), config.url());
        Duration first = FIRST_RETRY.compareTo(config.every()) < 0 ? FIRST_RETRY : config.every();
        this.retries = Backoff.startingAt(first).doublingUpTo(config.every()).withJitter(0.2).counter(random);
        this.state = new HeartbeatState(config.host(), config.format().configName(), config.every(), null, null, null, null, null, 0, null);
    }

    /**
     * Sends the first ping at once, then one every {@code every}.
     *
     * @param trouble what is wrong now, empty while all is well (see {@link Trouble}); called from the scheduler's thread
     */
    public static Heartbeat start(HeartbeatSection config, Supplier<Optional<String>> trouble, Scheduler scheduler, Clock clock,
                                  RandomGenerator random) {
        Heartbeat h = new Heartbeat(config, trouble, scheduler, clock, random);
        LOG.info("heartbeat to {} every {} s ({})", config.host(), config.every().toMillis() / 1000.0, config.format().configName());
        h.due = clock.instant();
        scheduler.runAt(h.due, h::beat);
        return h;
    }

    public HeartbeatState state() {
        return state;
    }

    /** One ping, then the next one planned whatever happened: a one-off bug must not end the switch silently. */
    private void beat() {
        if (closed) {
            return;
        }
        Instant next;
        try {
            next = pingAndPlan();
        } catch (RuntimeException e) {
            LOG.error("heartbeat to {} failed: {}", config.host(), e.toString());
            next = clock.instant().plus(config.every());
        }
        if (!closed) {
            scheduler.runAt(next, this::beat);
        }
    }

    /** @return when the next ping is due */
    private Instant pingAndPlan() {
        Optional<String> wrong = troubleNow();
        String signal = wrong.isPresent() ? "fail" : "up";
        if (!signal.equals(signalled)) {
            if (signalled != null || wrong.isPresent()) {
                LOG.info("heartbeat to {} now signals {}{}", config.host(), signal, wrong.map(w -> ": " + w).orElse(""));
            }
            signalled = signal;
        }
        Instant sentAt = clock.instant();
        PingHttp.Outcome outcome = http.send(PingRequest.of(config, wrong.isPresent(), wrong.orElse(ALL_WELL)));
        HeartbeatState before = state;
        Instant now = clock.instant();
        while (!due.isAfter(now)) {
            due = due.plus(config.every());
        }
        Instant next = due;
        if (outcome.delivered()) {
            if (retries.failures() > 0) {
                LOG.info("heartbeat to {} delivered again after {} failed ping(s)", config.host(), retries.failures());
            }
            retries.reset();
            state = new HeartbeatState(before.host(), before.format(), before.every(), sentAt, signal, "delivered", null, now,
                    before.failures(), wrong.orElse(null));
        } else {
            Duration wait = retries.next();
            if (retries.failures() == 1) {
                LOG.warn("heartbeat to {} not delivered ({}); the outside service alerts if this goes on: trying again in {} ms",
                        config.host(), outcome.detail(), wait.toMillis());
            } else {
                LOG.debug("heartbeat to {} not delivered ({}), {} in a row", config.host(), outcome.detail(), retries.failures());
            }
            state = new HeartbeatState(before.host(), before.format(), before.every(), sentAt, signal, "failed", outcome.detail(),
                    before.lastSuccessAt(), before.failures() + 1, wrong.orElse(null));
            Instant retry = now.plus(wait);
            next = retry.isBefore(next) ? retry : next;
        }
        return next;
    }

    /** A bug in reading the supervisor's state must not stop the switch: it is reported as trouble instead. */
    private Optional<String> troubleNow() {
        try {
            return trouble.get();
        } catch (RuntimeException e) {
            LOG.error("heartbeat: reading the supervisor's state failed: {}", e.toString());
            return Optional.of("the supervisor could not read its own state");
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
