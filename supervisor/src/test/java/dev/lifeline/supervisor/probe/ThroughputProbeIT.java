package dev.lifeline.supervisor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.probe.ThroughputResult.Verdict;
import dev.lifeline.supervisor.testing.RateLimitedHttpServer;
import dev.lifeline.templates.testing.FreePorts;

/** Real downloads from a loopback server that serves at a set rate; the server counts what it sent. */
class ThroughputProbeIT {
    private static final long MBIT = 1_000_000;
    private static final long MB = 1_000_000;
    private static final Duration CONNECT = Duration.ofSeconds(2);

    @Test
    void aHundredMegabitLineIsProvenAboveTenMegabitWithUnderFiveMegabytes() throws Exception {
        try (var server = RateLimitedHttpServer.start(100 * MBIT, 100 * MB)) {
            AtomicLong progress = new AtomicLong();
            ThroughputResult r = new ThroughputProbe(List.of(URI.create(server.url())), null, CONNECT)
                    .measure(10 * MBIT, 50 * MB, Duration.ofSeconds(10), progress::set);
            Thread.sleep(200); // let the server notice the closed connection before reading its count

            System.out.printf("100 Mbit/s vs 10 Mbit/s: %s; server sent %d bytes%n", r, server.bytesSent());
            assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.ABOVE);
            assertThat(r.bytes()).isLessThanOrEqualTo(5 * MB);
            assertThat(server.bytesSent()).as("counted at the server").isLessThanOrEqualTo(5 * MB);
            assertThat(r.bitsPerSecond()).isBetween(70 * MBIT, 130 * MBIT);
            assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(1));
            assertThat(progress.get()).isEqualTo(r.bytes());
        }
    }

    @Test
    void aFiveMegabitLineIsBelowTenMegabitWithinTheMaxDuration() {
        try (var server = RateLimitedHttpServer.start(5 * MBIT, 100 * MB)) {
            ThroughputResult r = new ThroughputProbe(List.of(URI.create(server.url())), null, CONNECT)
                    .measure(10 * MBIT, 50 * MB, Duration.ofSeconds(8), null);

            System.out.printf("5 Mbit/s vs 10 Mbit/s: %s; server sent %d bytes%n", r, server.bytesSent());
            assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.BELOW);
            assertThat(r.elapsed()).isBetween(Duration.ofMillis(3100), Duration.ofSeconds(5));
            assertThat(r.bitsPerSecond()).isBetween(4 * MBIT, 6 * MBIT);
            assertThat(r.bytes()).isBetween(1_800_000L, 2_600_000L);
        }
    }

    @Test
    void maxBytesIsNeverExceeded() throws Exception {
        try (var server = RateLimitedHttpServer.start(100 * MBIT, 100 * MB)) {
            ThroughputResult r = new ThroughputProbe(List.of(URI.create(server.url())), null, CONNECT)
                    .measure(10 * MBIT, 1_000_000, Duration.ofSeconds(10), null);

            System.out.printf("maxBytes 1 MB: %s%n", r);
            assertThat(r.bytes()).isEqualTo(1_000_000);
            assertThat(r.verdict()).as("80 ms of data is not a verdict").isEqualTo(Verdict.INCONCLUSIVE);
        }
    }

    @Test
    void aDeadUrlIsSkippedForTheNextOne() {
        try (var server = RateLimitedHttpServer.start(100 * MBIT, 100 * MB)) {
            URI dead = URI.create("http://127.0.0.1:" + FreePorts.next() + "/down");
            ThroughputResult r = new ThroughputProbe(List.of(dead, URI.create(server.url())), null, CONNECT)
                    .measure(10 * MBIT, 50 * MB, Duration.ofSeconds(10), null);

            assertThat(r.url()).isEqualTo(server.url());
            assertThat(r.verdict()).isEqualTo(Verdict.ABOVE);
        }
    }

    @Test
    void theBastionsSecretSpeedPathNeverAppearsInWhatTheProbeSays() {
        String secret = "0123456789abcdef0123456789abcdef";
        URI bastion = URI.create("http://127.0.0.1:" + FreePorts.next() + "/lifeline/speed/" + secret);
        ThroughputProbe probe = new ThroughputProbe(List.of(bastion), null, CONNECT);

        ThroughputResult r = probe.measure(10 * MBIT, 50 * MB, Duration.ofSeconds(10), null);

        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(r.detail()).contains("/lifeline/speed/…").contains("connection refused").doesNotContain(secret);
        assertThat(probe.toString()).doesNotContain(secret);
    }

    @Test
    void noWorkingUrlIsInconclusiveAndSaysWhy() {
        try (var down = RateLimitedHttpServer.start(503, 100 * MBIT, 10)) {
            URI dead = URI.create("http://127.0.0.1:" + FreePorts.next() + "/down");
            ThroughputResult r = new ThroughputProbe(List.of(dead, URI.create(down.url())), null, CONNECT)
                    .measure(10 * MBIT, 50 * MB, Duration.ofSeconds(10), null);

            assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(r.detail()).contains("connection refused").contains("HTTP 503");
        }
    }

    @Test
    void theDownloadComesFromTheBoundAddress() {
        try (var server = RateLimitedHttpServer.start(100 * MBIT, 100 * MB)) {
            new ThroughputProbe(List.of(URI.create(server.url())), "127.0.0.2", CONNECT)
                    .measure(10 * MBIT, 50 * MB, Duration.ofSeconds(10), null);

            assertThat(server.clients()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.2");
        }
    }
}
