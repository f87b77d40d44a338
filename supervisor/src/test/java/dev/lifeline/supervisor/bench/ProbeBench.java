package dev.lifeline.supervisor.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
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

import dev.lifeline.supervisor.config.PrimaryLinkConfig;
import dev.lifeline.supervisor.link.LinkTracker;
import dev.lifeline.supervisor.link.LinkTransition;
import dev.lifeline.supervisor.link.PrimaryLinkMonitor;
import dev.lifeline.supervisor.probe.Probe;
import dev.lifeline.supervisor.probe.Probes;
import dev.lifeline.supervisor.probe.ThroughputProbe;
import dev.lifeline.supervisor.probe.ThroughputResult;
import dev.lifeline.supervisor.testing.RateLimitedHttpServer;
import dev.lifeline.supervisor.testing.RealDnsmasq;

/**
 * ci/bench.sh probes: figures, not pass/fail. The data one backup-line health check costs: an early-stopping
 * ThroughputProbe at a 10 Mbit/s threshold against a line serving ~100 Mbit/s, next to a fixed 25 MB download
 * (what a speedtest-style fixed test pulls), both counted at the server; and how long a primary outage takes to be
 * declared with the default tracking.
 */
public final class ProbeBench {
    private static final long MBIT = 1_000_000;
    private static final long MB = 1_000_000;
    private static final long LINE = 100 * MBIT;
    private static final long THRESHOLD = 10 * MBIT;
    private static final long FIXED_TEST = 25 * MB;
    private static final int RUNS = 5;

    private ProbeBench() {
    }

    static List<Figure> figures() throws Exception {
        System.out.printf("line ~%d Mbit/s, threshold %d Mbit/s, %d runs%n", LINE / MBIT, THRESHOLD / MBIT, RUNS);
        List<Figure> out = new ArrayList<>(earlyStopVersusFixedDownload());
        out.add(outageDetectionTime());
        return out;
    }

    private static List<Figure> earlyStopVersusFixedDownload() throws Exception {
        long worstEarly = 0;
        for (int i = 1; i <= RUNS; i++) {
            try (RateLimitedHttpServer server = RateLimitedHttpServer.start(LINE, 100 * MB)) {
                ThroughputResult r = new ThroughputProbe(List.of(URI.create(server.url())), null, Duration.ofSeconds(2))
                        .measure(THRESHOLD, 50 * MB, Duration.ofSeconds(10), null);
                Thread.sleep(200); // the server's writer notices the closed connection
                System.out.printf("run %d: %s in %d ms, read %.2f MB, server sent %.2f MB, measured %.1f Mbit/s%n", i,
                        r.verdict(), r.elapsed().toMillis(), r.bytes() / 1e6, server.bytesSent() / 1e6, r.bitsPerSecond() / 1e6);
                worstEarly = Math.max(worstEarly, server.bytesSent());
            }
        }
        long fixed;
        long fixedMillis;
        try (RateLimitedHttpServer server = RateLimitedHttpServer.start(LINE, FIXED_TEST)) {
            long start = System.nanoTime();
            try (InputStream in = new URL(server.url()).openStream()) {
                in.transferTo(OutputStreamSink.INSTANCE);
            }
            fixedMillis = (System.nanoTime() - start) / 1_000_000;
            fixed = server.bytesSent();
        }
        System.out.printf("%-44s %10s%n", "check", "MB used");
        System.out.printf("%-44s %10.2f%n", "ThroughputProbe, 10 Mbit/s threshold (worst)", worstEarly / 1e6);
        System.out.printf("%-44s %10.2f   (%d ms)%n", "fixed 25 MB download", fixed / 1e6, fixedMillis);
        System.out.printf("ratio fixed / early-stop: %.1fx%n", (double) fixed / worstEarly);
        return List.of(Figure.atMost("probes.backupCheckData", "data per backup check (worst of " + RUNS + ")", worstEarly / 1e6, "MB", 5,
                String.format("fixed 25 MB download: %.1f MB", fixed / 1e6)));
    }

    /**
     * Real time, real probes, the default tracking (interval 5 s, timeout 2 s, down 3): three DNS probes to a real
     * dnsmasq on loopback, which is then frozen with SIGSTOP so the queries go unanswered, as on a line that went
     * dark (a refused connection would be noticed faster than a real outage). Measured from the freeze to DOWN,
     * at a few phases of the round.
     */
    private static Figure outageDetectionTime() throws Exception {
        PrimaryLinkConfig d = new PrimaryLinkConfig(null, List.of("dns://127.0.0.1/example.com"), null, null, null, null, null, null, null);
        System.out.printf("%nprimary outage detection, defaults (interval %d s, timeout %d s, down %d; bound %d s):%n",
                d.interval().toSeconds(), d.timeout().toSeconds(), d.down(), d.detectionBound().toSeconds());
        long[] phases = {300, 2600, 4700};
        double worst = 0;
        for (long phase : phases) {
            try (RealDnsmasq dns = RealDnsmasq.start(List.of("--address=/example.test/198.18.0.10"))) {
                List<Probe> probes = new ArrayList<>();
                for (String name : List.of("a", "b", "c")) {
                    probes.add(Probes.parse("dns://127.0.0.1:" + dns.port() + "/" + name + ".example.test", null, d.timeout()));
                }
                CompletableFuture<LinkTransition> down = new CompletableFuture<>();
                ExecutorService threads = Executors.newCachedThreadPool();
                ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor();
                PrimaryLinkMonitor monitor = new PrimaryLinkMonitor(probes, new LinkTracker("primary", d.reliability(), d.down(), d.up(),
                        Instant.now()), null, Duration.ofMinutes(1), down::complete, Clock.systemUTC(), threads);
                rounds.scheduleAtFixedRate(monitor::round, 0, d.interval().toMillis(), TimeUnit.MILLISECONDS);
                Thread.sleep(2 * d.interval().toMillis() + phase);
                Instant frozen = Instant.now();
                signal("STOP", dns.pid());
                try {
                    LinkTransition t = down.get(60, TimeUnit.SECONDS);
                    double seconds = Duration.between(frozen, t.at()).toMillis() / 1e3;
                    worst = Math.max(worst, seconds);
                    System.out.printf("  dark %.1f s after a round began: DOWN after %5.1f s (%s)%n", phase / 1e3, seconds, t.why());
                } finally {
                    rounds.shutdownNow();
                    threads.shutdownNow();
                    signal("CONT", dns.pid());
                }
            }
        }
        return Figure.atMost("outage.declared", "primary outage declared, defaults (worst phase)", worst, "s", 8,
                "dpinger ≈ 12–14 s, mwan3 ≈ 50 s (documented)");
    }

    private static void signal(String sig, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
    }

    /** Discards what it is given: the fixed download's bytes only need to cross the line. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
        }
    }
}
