package dev.lifeline.supervisor.link;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lifeline.supervisor.event.Event;
import dev.lifeline.supervisor.event.EventSink;
import dev.lifeline.supervisor.probe.DataBudget;
import dev.lifeline.supervisor.probe.IspIdentity;
import dev.lifeline.supervisor.probe.IspLookup;
import dev.lifeline.supervisor.probe.Probe;
import dev.lifeline.supervisor.probe.ProbeException;
import dev.lifeline.supervisor.probe.ProbeResult;
import dev.lifeline.supervisor.probe.ThroughputProbe;
import dev.lifeline.supervisor.probe.ThroughputResult;
import dev.lifeline.supervisor.settings.HumanSize;

/**
 * Is the backup line good to fail over to? The original monitoring script's three questions, answered over the
 * backup line itself: the right ISP (a router that sends the "backup" out the primary would pass every other test),
 * download at least the threshold (measured only until the answer is certain, inside the day's data budget), and
 * latency at most the threshold (DNS or TCP round trips, never ICMP). A change from healthy to not, or back, raises
 * one event.
 */
public final class BackupHealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(BackupHealthCheck.class);
    static final int LATENCY_SAMPLES_PER_PROBE = 3;
    /** Below this much budget left, a speed test could not tell anything. */
    static final long MIN_SPEED_TEST_BYTES = 256 * 1024;

    private final BackupLinkConfig config;
    private final ExpectedIsp expected;
    private final IspLookup ispLookup;
    private final List<Probe> latencyProbes;
    private final List<URI> speedUrls;
    private final Supplier<Optional<URI>> bastionSpeedUrl;
    private final DataBudget budget;
    private final EventSink events;
    private final Clock clock;
    private BackupHealth last;

    /**
     * @param bastionSpeedUrl the bastion's /lifeline/speed while it runs (tried first: it is our own server), else empty
     */
    public BackupHealthCheck(BackupLinkConfig config, IspLookup ispLookup, List<Probe> latencyProbes, List<URI> speedUrls,
                             Supplier<Optional<URI>> bastionSpeedUrl, DataBudget budget, EventSink events, Clock clock) {
        this.config = config;
        this.expected = new ExpectedIsp(config.expectIsp());
        this.ispLookup = ispLookup;
        this.latencyProbes = List.copyOf(latencyProbes);
        this.speedUrls = List.copyOf(speedUrls);
        this.bastionSpeedUrl = bastionSpeedUrl;
        this.budget = budget;
        this.events = events;
        this.clock = clock;
    }

    /** One check. Blocks for the lookups, the latency probes and the speed test (each bounded). */
    public BackupHealth run(LongConsumer speedProgress) {
        Instant at = clock.instant();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        String isp = null;
        try {
            IspIdentity id = ispLookup.lookup();
            isp = ExpectedIsp.describe(id);
            if (!expected.matches(id)) {
                problems.add(BackupHealth.WRONG_ISP);
                notes.add("expected " + config.expectIsp() + ", the line leaves through " + isp);
            }
        } catch (ProbeException e) {
            problems.add(BackupHealth.ISP_UNKNOWN);
            notes.add("ISP lookup failed: " + e.getMessage());
        }

        Duration latency = latency(notes);
        if (latency != null && latency.compareTo(config.maxLatency()) > 0) {
            problems.add(BackupHealth.HIGH_LATENCY);
        } else if (latency == null && !latencyProbes.isEmpty()) {
            problems.add(BackupHealth.NO_ANSWER);
        }

        Long bps = null;
        long used = 0;
        long allowed = Math.min(config.maxBytesPerCheck(), budget.remainingToday());
        List<URI> urls = new ArrayList<>();
        bastionSpeedUrl.get().ifPresent(urls::add);
        urls.addAll(speedUrls);
        if (urls.isEmpty()) {
            notes.add("speed not measured: no speedUrls configured");
        } else if (allowed < MIN_SPEED_TEST_BYTES) {
            notes.add("speed not measured: today's data budget (" + config.dataBudgetBytesPerDay() / 1_000_000 + " MB) is used up");
        } else {
            ThroughputResult r = new ThroughputProbe(urls, config.bind(), config.timeout())
                    .measure(config.minDownloadBitsPerSecond(), allowed, config.timeout().multipliedBy(4), speedProgress);
            used = r.bytes();
            budget.record(used);
            switch (r.verdict()) {
                case ABOVE -> bps = r.bitsPerSecond();
                case BELOW -> {
                    bps = r.bitsPerSecond();
                    problems.add(BackupHealth.LOW_SPEED);
                }
                default -> notes.add("speed not measured: " + r.detail());
            }
        }

        BackupHealth health = new BackupHealth(at, isp, bps, used, latency, List.copyOf(problems), List.copyOf(notes));
        LOG.info("backup line {}: {}{}{}", health.healthy() ? "healthy" : String.join(", ", problems), health.facts(),
                bps == null ? "" : " (" + HumanSize.rate(bps) + ", " + used / 1000 + " kB used)", notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        announceChange(health);
        return health;
    }

    private Duration latency(List<String> notes) {
        List<Duration> rtts = new ArrayList<>();
        for (Probe p : latencyProbes) {
            for (int i = 0; i < LATENCY_SAMPLES_PER_PROBE; i++) {
                ProbeResult r = PrimaryLinkMonitor.safely(p);
                if (r.ok()) {
                    rtts.add(r.rtt());
                } else if (i == 0) {
                    notes.add(r.target() + ": " + r.detail());
                }
            }
        }
        if (rtts.isEmpty()) {
            if (latencyProbes.isEmpty()) {
                notes.add("latency not measured: no latencyProbes configured");
            }
            return null;
        }
        rtts.sort(null);
        return rtts.get(rtts.size() / 2);
    }

    private synchronized void announceChange(BackupHealth now) {
        BackupHealth before = last;
        last = now;
        boolean wasHealthy = before == null || before.healthy();
        if (!now.healthy() && (wasHealthy || !before.problems().equals(now.problems()))) {
            events.publish(new Event(now.at(), Event.Kind.BACKUP_PROBLEM, "backup.health",
                    "backup line: " + String.join(", ", now.problems()) + " — " + now.facts()));
        } else if (now.healthy() && !wasHealthy) {
            events.publish(new Event(now.at(), Event.Kind.BACKUP_RESOLVED, "backup.health", "backup line healthy again — " + now.facts()));
        }
    }

    public synchronized Optional<BackupHealth> last() {
        return Optional.ofNullable(last);
    }
}
