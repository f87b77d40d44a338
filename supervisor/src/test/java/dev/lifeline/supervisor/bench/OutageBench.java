package dev.lifeline.supervisor.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.lifeline.supervisor.link.LinkTracker;
import dev.lifeline.supervisor.link.LinkTransition;
import dev.lifeline.supervisor.link.PrimaryLinkConfig;
import dev.lifeline.supervisor.link.PrimaryLinkMonitor;
import dev.lifeline.supervisor.probe.Probe;
import dev.lifeline.supervisor.probe.ProbeResult;
import dev.lifeline.supervisor.probe.Probes;
import dev.lifeline.supervisor.testing.RealDnsmasq;
import dev.lifeline.supervisor.testing.SimulatedPrimaryLine.Healthy;
import dev.lifeline.supervisor.testing.SimulatedPrimaryLine.Tracking;
import dev.lifeline.supervisor.testing.SimulatedPrimaryLine;

/**
 * ci/bench.sh outage: how fast a primary outage is declared with the default tracking, in real time against a real
 * resolver, and how calm the same defaults are: false outages a day over a simulated month at 20 % probe loss, next
 * to two other settings. Anchors are documented, not run here: pfSense's dpinger (an echo every 500 ms, loss averaged
 * over 60 s, alarm above 20 %: pfsense/pfsense src/etc/inc/gwlb.inc return_dpinger_defaults; a dead line crosses 20 %
 * after 12 s of the window plus the 2 s loss interval) and OpenWrt's mwan3 (interval 10 s, timeout 4 s, down 5:
 * openwrt/packages net/mwan3/files/usr/sbin/mwan3track).
 */
public final class OutageBench {
    private static final double LOSS = 0.20;
    private static final long SEED = 20261125;
    private static final String DPINGER_MWAN3 = "dpinger ≈ 12–14 s, mwan3 ≈ 50 s (documented)";

    private OutageBench() {
    }

    static List<Figure> figures() throws Exception {
        List<Figure> out = new ArrayList<>(outageDeclared());
        out.addAll(falseOutagesInAMonth());
        return out;
    }

    /** Three DNS probes, as the example config has; every other setting the default. */
    private static PrimaryLinkConfig defaults(String probeTarget) {
        return new PrimaryLinkConfig(null, List.of(probeTarget, probeTarget, probeTarget), null, null, null, null, null, null, null);
    }

    /**
     * Real time, real probes, the default tracking: three DNS probes to a real dnsmasq on loopback, which is then
     * frozen with SIGSTOP so the queries go unanswered, as on a line that went dark (a refused connection would be
     * noticed faster than a real outage). Measured from the last answer a probe got to DOWN (what the target is
     * about), and from the freeze, at a few phases of the round.
     */
    private static List<Figure> outageDeclared() throws Exception {
        PrimaryLinkConfig d = defaults("dns://127.0.0.1/example.com");
        long interval = d.interval().toMillis();
        System.out.printf("primary outage, defaults (interval %d ms, timeout %d ms, down %d; bound %.1f s after the last good answer):%n",
                interval, d.timeout().toMillis(), d.down(), d.detectionBound().toMillis() / 1e3);
        double worstFromAnswer = 0;
        double worstFromFreeze = 0;
        for (double phase : new double[] {0.1, 0.3, 0.5, 0.7, 0.9}) {
            try (RealDnsmasq dns = RealDnsmasq.start(List.of("--address=/example.test/198.18.0.10"))) {
                AtomicReference<Instant> lastAnswer = new AtomicReference<>();
                List<Probe> probes = new ArrayList<>();
                for (String name : List.of("a", "b", "c")) {
                    probes.add(new AnswerStamp(Probes.parse("dns://127.0.0.1:" + dns.port() + "/" + name + ".example.test", null, d.timeout()), lastAnswer));
                }
                CompletableFuture<LinkTransition> down = new CompletableFuture<>();
                ExecutorService threads = Executors.newCachedThreadPool();
                ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor();
                try {
                    PrimaryLinkMonitor monitor = new PrimaryLinkMonitor(probes, new LinkTracker("primary", d.reliability(), d.down(), d.up(),
                            Instant.now()), null, Duration.ofMinutes(1), down::complete, Clock.systemUTC(), threads);
                    long start = System.nanoTime();
                    // at a fixed rate, as SupervisorRuntime schedules the rounds
                    rounds.scheduleAtFixedRate(monitor::round, 0, interval, TimeUnit.MILLISECONDS);
                    long freezeAt = start + TimeUnit.MILLISECONDS.toNanos(3 * interval + (long) (phase * interval));
                    Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(freezeAt - System.nanoTime())));
                    signal("STOP", dns.pid());
                    Instant frozen = Instant.now();
                    LinkTransition t = down.get(60, TimeUnit.SECONDS);
                    double fromAnswer = Duration.between(lastAnswer.get(), t.at()).toMillis() / 1e3;
                    double fromFreeze = Duration.between(frozen, t.at()).toMillis() / 1e3;
                    worstFromAnswer = Math.max(worstFromAnswer, fromAnswer);
                    worstFromFreeze = Math.max(worstFromFreeze, fromFreeze);
                    System.out.printf("  dark %3.0f %% into a round: DOWN %5.2f s after the last answer, %5.2f s after the freeze (%s)%n",
                            phase * 100, fromAnswer, fromFreeze, t.why());
                } finally {
                    rounds.shutdownNow();
                    threads.shutdownNow();
                    signal("CONT", dns.pid());
                }
            }
        }
        return List.of(
                Figure.atMost("outage.declared", "primary outage declared after last answer, defaults", worstFromAnswer, "s", 8, DPINGER_MWAN3),
                Figure.info("outage.declaredFromDark", "  the same, from the moment the line went dark", worstFromFreeze, "s", DPINGER_MWAN3));
    }

    /**
     * A month on a healthy line losing 20 % of the probes' answers, through the real monitor and tracker on a simulated
     * clock (SimulatedPrimaryLine, as PrimaryLinkMonthTest runs it): the defaults, the settings before issue 17, and
     * the fastest setting at the defaults' probe load.
     */
    private static List<Figure> falseOutagesInAMonth() {
        Tracking now = Tracking.of("defaults", defaults("dns://198.18.1.1/example.com"));
        Tracking before = now.with("before issue 17", Duration.ofSeconds(5), Duration.ofSeconds(2), 3);
        Tracking fast = now.with("fast", now.interval(), now.timeout(), 3);
        System.out.printf("%nfalse outages in a simulated month, %.0f %% independent loss per probe answer:%n", LOSS * 100);
        List<Figure> out = new ArrayList<>();
        for (Tracking t : List.of(now, before, fast)) {
            long started = System.nanoTime();
            Healthy month = SimulatedPrimaryLine.healthy(t, LOSS, SEED, SimulatedPrimaryLine.MONTH);
            double expected = t.expectedFalseOutages(LOSS, SimulatedPrimaryLine.MONTH);
            System.out.printf("  %s: %d false outages in 30 days (%,d rounds, %.1f s real time); the math: %.2g a month%n", t,
                    month.falseOutages(), month.rounds(), (System.nanoTime() - started) / 1e9, expected);
            String label = String.format("false outages/day at 20 %% loss, %s, %s s, down %d", t.name(), seconds(t.interval()), t.down());
            String anchor = String.format("math %.2g a month; declared ≤ %s s after the last answer", expected, seconds(t.bound()));
            out.add(t == now ? Figure.atMost("outage.falsePerDay", label, month.perDay(), "/day", 0, anchor)
                    : Figure.info("outage.falsePerDay." + (t == before ? "before" : "fast"), label, month.perDay(), "/day", anchor));
        }
        return out;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : Double.toString(d.toMillis() / 1e3);
    }

    private static void signal(String sig, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
    }

    /** The real probe, and the moment each of its answers came back: where "after the last good answer" starts. */
    private record AnswerStamp(Probe probe, AtomicReference<Instant> lastAnswer) implements Probe {
        @Override
        public String target() {
            return probe.target();
        }

        @Override
        public ProbeResult run() {
            ProbeResult r = probe.run();
            if (r.ok()) {
                lastAnswer.accumulateAndGet(Instant.now(), (a, b) -> a == null || b.isAfter(a) ? b : a);
            }
            return r;
        }
    }
}
