package dev.lifeline.supervisor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.testing.RateLimitedHttpServer;
import dev.lifeline.supervisor.testing.SilentTcpServer;
import dev.lifeline.templates.testing.FreePorts;

/** HTTP probes against loopback servers: statuses, a hanging server, a chosen source. */
class HttpProbeTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void http200IsOkAnd503Fails() {
        try (var ok = RateLimitedHttpServer.start(200, 1_000_000_000, 10); var down = RateLimitedHttpServer.start(503, 1_000_000_000, 10)) {
            ProbeResult good = Probes.parse(ok.url(), null, SECOND).run();
            ProbeResult bad = Probes.parse(down.url(), null, SECOND).run();

            assertThat(good.ok()).as(good.toString()).isTrue();
            assertThat(good.detail()).isEqualTo("HTTP 200");
            assertThat(bad.ok()).isFalse();
            assertThat(bad.detail()).isEqualTo("HTTP 503");
        }
    }

    @Test
    void anExpectedStatusCountsAsOk() {
        try (var down = RateLimitedHttpServer.start(503, 1_000_000_000, 10)) {
            assertThat(Probes.parse(down.url() + "#status=503", null, SECOND).run().ok()).isTrue();
        }
    }

    @Test
    void aServerThatNeverAnswersFailsWithinTheTimeout() {
        try (SilentTcpServer silent = new SilentTcpServer()) {
            Duration timeout = Duration.ofMillis(500);
            long start = System.nanoTime();
            ProbeResult r = Probes.parse("http://127.0.0.1:" + silent.port() + "/", null, timeout).run();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(r.ok()).isFalse();
            assertThat(r.detail()).isEqualTo("timeout after 500 ms");
            assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofMillis(1500));
            assertThat(silent.accepted()).as("it did connect; the answer never came").isEqualTo(1);
        }
    }

    @Test
    void aProbeBoundTo127_0_0_2IsSeenByTheServerAsComingFromThere() {
        try (var server = RateLimitedHttpServer.start(200, 1_000_000_000, 10)) {
            ProbeResult r = Probes.parse(server.url(), "127.0.0.2", SECOND).run();

            assertThat(r.ok()).as(r.toString()).isTrue();
            assertThat(server.clients()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.2");
        }
    }
}
