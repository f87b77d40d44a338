package dev.lifeline.supervisor.status;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lifeline.supervisor.link.BackupHealth;
import dev.lifeline.supervisor.probe.ProbeResult;
import dev.lifeline.supervisor.tunnel.TunnelState;

/**
 * The last {@link #WINDOW} of what the status source said, sampled every few seconds: one point per primary round and
 * per backup check (a round seen twice is recorded once), tunnel transitions, outage and bastion-run intervals. Every
 * series is a {@link Ring}, so memory stays bounded however long the daemon runs. Thread-safe.
 */
public final class History {
    public static final Duration WINDOW = Duration.ofHours(24);
    /** 24 h at one point every 10 s; a faster sampleEvery keeps a shorter past rather than more memory. */
    static final int MAX_POINTS = 8640;
    /** Transitions and intervals: far more than a sane day has; a flapping tunnel loses its oldest first. */
    static final int MAX_EVENTS = 2000;

    private final double pricePerHour;
    private final double monthlyFixed;
    private final Ring<Point> primaryRtt;
    private final Ring<Point> backupMbps = new Ring<>(MAX_EVENTS);
    private final Ring<Point> backupLatency = new Ring<>(MAX_EVENTS);
    private final Map<String, Ring<Span>> tunnelStretches = new LinkedHashMap<>();
    private final Ring<Span> outages = new Ring<>(MAX_EVENTS);
    private final Ring<Span> bastionRuns = new Ring<>(MAX_EVENTS);
    private List<ProbeResult> lastRound;
    private Instant lastBackupCheck;
    private Instant outageStart;
    private Instant runStart;
    private Instant lastSample;
    private YearMonth month;
    private long monthRunningMillis;

    public History(Duration sampleEvery, double pricePerHour, double monthlyFixed) {
        this.pricePerHour = pricePerHour;
        this.monthlyFixed = monthlyFixed;
        long perWindow = WINDOW.toMillis() / Math.max(1, sampleEvery.toMillis()) + 1;
        this.primaryRtt = new Ring<>((int) Math.min(MAX_POINTS, perWindow));
    }

    /** USD per running hour, as configured: also a metric, so a dashboard prices the runs Prometheus saw. */
    double pricePerHour() {
        return pricePerHour;
    }

    /** USD per month whether the bastion runs or not, as configured. */
    double monthlyFixed() {
        return monthlyFixed;
    }

    synchronized void record(StatusSnapshot s) {
        Instant now = s.at();
        // The monitor replaces its list each round: the same list object is the same round, seen again.
        if (!s.lastRound().isEmpty() && s.lastRound() != lastRound) {
            lastRound = s.lastRound();
            primaryRtt.add(new Point(now, medianOkMillis(s.lastRound())));
        }
        BackupHealth b = s.backup();
        if (b != null && !b.at().equals(lastBackupCheck)) {
            lastBackupCheck = b.at();
            backupMbps.add(new Point(b.at(), b.bitsPerSecond() == null ? null : b.bitsPerSecond() / 1e6));
            backupLatency.add(new Point(b.at(), b.latency() == null ? null : b.latency().toNanos() / 1e6));
        }
        for (TunnelState t : s.tunnels()) {
            recordTunnel(t);
        }
        outageStart = interval(outages, outageStart, s.outageActive(),
                s.policy() != null && s.policy().outageSince() != null ? s.policy().outageSince() : now, now);
        Instant runningBefore = runStart;
        runStart = interval(bastionRuns, runStart, s.bastionRunning(),
                s.policy() != null && s.policy().bastionSince() != null ? s.policy().bastionSince() : now, now);
        countMonth(runStart != null ? runStart : runningBefore, now);
        lastSample = now;
    }

    /** A tunnel's stretch starts when its state says it did ({@code since}), not when we happened to look. */
    private void recordTunnel(TunnelState t) {
        Ring<Span> ring = tunnelStretches.computeIfAbsent(t.name(), n -> new Ring<>(MAX_EVENTS));
        Span current = ring.last();
        if (current == null || !current.label().equals(t.status().name()) || current.start().isBefore(t.since())) {
            ring.add(new Span(t.since(), t.since(), t.status().name(), true));
        }
    }

    private static Instant interval(Ring<Span> ring, Instant start, boolean active, Instant startIfNew, Instant now) {
        if (active && start == null) {
            return startIfNew;
        }
        if (!active && start != null) {
            ring.add(new Span(start, now, null, false));
            return null;
        }
        return start;
    }

    /**
     * Running time this calendar month (UTC), added up sample by sample; a run already going when the supervisor
     * started counts from its start (the policy remembers it); runs that ended before it started are not known here.
     */
    private void countMonth(Instant running, Instant now) {
        YearMonth m = YearMonth.from(now.atZone(ZoneOffset.UTC));
        if (!m.equals(month)) {
            month = m;
            monthRunningMillis = 0;
        }
        if (running != null) {
            monthRunningMillis += Duration.between(countFrom(running), now).toMillis();
        }
    }

    /** The latest of: the run's start, the last sample (counted already), the start of this month. */
    private Instant countFrom(Instant running) {
        Instant from = running;
        if (lastSample != null && lastSample.isAfter(from)) {
            from = lastSample;
        }
        Instant monthStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return monthStart.isAfter(from) ? monthStart : from;
    }

    private static Double medianOkMillis(List<ProbeResult> round) {
        List<Double> ms = new ArrayList<>();
        for (ProbeResult r : round) {
            if (r.ok()) {
                ms.add(r.rtt().toNanos() / 1e6);
            }
        }
        if (ms.isEmpty()) {
            return null;
        }
        ms.sort(null);
        return ms.get(ms.size() / 2);
    }

    public synchronized HistoryView view(Instant now) {
        Instant from = now.minus(WINDOW);
        Map<String, List<Span>> lanes = new LinkedHashMap<>();
        tunnelStretches.forEach((name, ring) -> lanes.put(name, stretches(ring.toList(), from, now)));
        List<Span> runs = spans(bastionRuns, runStart, from, now);
        long seconds24h = runs.stream().mapToLong(r -> r.length().toSeconds()).sum();
        long monthSeconds = (monthRunningMillis + (runStart != null && lastSample != null && now.isAfter(lastSample)
                ? Duration.between(lastSample, now).toMillis() : 0)) / 1000;
        return new HistoryView(from, now, points(primaryRtt, from), points(backupMbps, from), points(backupLatency, from),
                lanes, spans(outages, outageStart, from, now), runs, CostEstimate.of(pricePerHour, monthlyFixed, seconds24h, monthSeconds));
    }

    /** Each stretch ends where the next begins; the last one is still going on. */
    private static List<Span> stretches(List<Span> starts, Instant from, Instant now) {
        List<Span> out = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            boolean last = i == starts.size() - 1;
            Span s = starts.get(i);
            Span whole = new Span(s.start(), last ? now : starts.get(i + 1).start(), s.label(), last);
            Span clipped = whole.clip(from, now);
            if (clipped != null) {
                out.add(clipped);
            }
        }
        return out;
    }

    private static List<Span> spans(Ring<Span> closed, Instant openStart, Instant from, Instant now) {
        List<Span> out = new ArrayList<>();
        for (Span s : closed.toList()) {
            Span c = s.clip(from, now);
            if (c != null) {
                out.add(c);
            }
        }
        if (openStart != null) {
            Span c = new Span(openStart, now, null, true).clip(from, now);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    private static List<Point> points(Ring<Point> ring, Instant from) {
        return ring.toList().stream().filter(p -> !p.at().isBefore(from)).toList();
    }
}
