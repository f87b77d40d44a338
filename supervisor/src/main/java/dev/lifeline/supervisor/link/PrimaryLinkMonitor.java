package dev.lifeline.supervisor.link;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lifeline.supervisor.probe.Probe;
import dev.lifeline.supervisor.probe.ProbeResult;

/**
 * Tracks the primary line: one round of every probe (in parallel, each bounded by its own timeout) per
 * interval, fed to a {@link LinkTracker}; every {@code egressEvery}, optionally, asks which ISP the primary path
 * leaves through. Transitions go to the listener (the outage policy) and are logged in one line each.
 */
public final class PrimaryLinkMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(PrimaryLinkMonitor.class);

    private final List<Probe> probes;
    private final LinkTracker tracker;
    private final EgressCheck egress;
    private final Duration egressEvery;
    private final Consumer<LinkTransition> listener;
    private final Clock clock;
    private final Executor probeThreads;
    private volatile List<ProbeResult> lastRound = List.of();
    private Instant lastEgressCheck = Instant.MIN;

    /**
     * @param egress null: no egress check
     */
    public PrimaryLinkMonitor(List<Probe> probes, LinkTracker tracker, EgressCheck egress, Duration egressEvery,
                              Consumer<LinkTransition> listener, Clock clock, Executor probeThreads) {
        this.probes = List.copyOf(probes);
        this.tracker = tracker;
        this.egress = egress;
        this.egressEvery = egressEvery;
        this.listener = listener;
        this.clock = clock;
        this.probeThreads = probeThreads;
    }

    /** One round: every probe at once, then the tracker's verdict. Blocks at most the longest probe timeout. */
    public Optional<LinkTransition> round() {
        List<CompletableFuture<ProbeResult>> running = new ArrayList<>();
        for (Probe p : probes) {
            running.add(CompletableFuture.supplyAsync(() -> safely(p), probeThreads));
        }
        List<ProbeResult> results = running.stream().map(CompletableFuture::join).toList();
        lastRound = results;
        int answered = (int) results.stream().filter(ProbeResult::ok).count();
        String lastFailure = results.stream().filter(r -> !r.ok()).map(r -> r.target() + " " + r.detail()).reduce((a, b) -> b).orElse(null);
        Instant now = clock.instant();
        Optional<LinkTransition> t = tracker.round(answered, lastFailure, now);
        if (t.isEmpty() && egress != null && !now.isBefore(lastEgressCheck.plus(egressEvery))) {
            lastEgressCheck = now;
            t = egressRound(now);
        }
        t.ifPresent(this::announce);
        return t;
    }

    /** A probe that throws (a bug, a value the parser let through) is a failed probe, never a lost round. */
    static ProbeResult safely(Probe p) {
        try {
            return p.run();
        } catch (RuntimeException e) {
            LOG.error("probe {} failed unexpectedly: {}", p.target(), e.getClass().getName());
            return ProbeResult.failed(p.target(), Duration.ZERO, "probe error " + e.getClass().getSimpleName());
        }
    }

    private Optional<LinkTransition> egressRound(Instant now) {
        EgressCheck.Verdict v = egress.check();
        if (v.unknown()) {
            LOG.debug("primary egress check: {}", v.detail());
            return Optional.empty();
        }
        return tracker.egressChecked(v.onBackupIsp(), "the primary path leaves through the backup ISP (" + v.detail()
                + "): the router has failed over", now);
    }

    private void announce(LinkTransition t) {
        LOG.info("link {} {} → {} at {} ({})", t.link(), t.from(), t.to(), t.at(), t.why());
        listener.accept(t);
    }

    public LinkState state() {
        return tracker.state();
    }

    public List<ProbeResult> lastRound() {
        return lastRound;
    }

    /**
     * Asks which ISP a path leaves through.
     */
    @FunctionalInterface
    public interface EgressCheck {
        Verdict check();

        /** @param unknown the lookup failed: no verdict either way */
        record Verdict(boolean onBackupIsp, boolean unknown, String detail) {
        }
    }
}
