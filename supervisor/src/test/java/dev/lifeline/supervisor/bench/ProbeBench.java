package dev.lifeline.supervisor.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;

import dev.lifeline.supervisor.probe.ThroughputProbe;
import dev.lifeline.supervisor.probe.ThroughputResult;
import dev.lifeline.supervisor.testing.RateLimitedHttpServer;

/**
 * ci/bench.sh probes: figures, not pass/fail. The data one backup-line health check costs: an early-stopping
 * ThroughputProbe at a 10 Mbit/s threshold against a line serving ~100 Mbit/s, next to a fixed 25 MB download
 * (what a speedtest-style fixed test pulls), both counted at the server. How fast an outage is declared: OutageBench.
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
        return earlyStopVersusFixedDownload();
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
