package dev.lifeline.supervisor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.testing.RateLimitedHttpServer;
import dev.lifeline.supervisor.testing.SilentTcpServer;
import dev.lifeline.templates.testing.FreePorts;

class ProbesTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Nested
    class Parsing {
        @Test
        void aDnsProbeWithoutTheDoubleSlashSaysHowToWriteIt() {
            assertThatThrownBy(() -> Probes.parse("dns:/x", null, SECOND))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("probe 'dns:/x'").hasMessageContaining("write dns://192.168.1.1/example.com");
        }

        @Test
        void aResolverGivenByNameIsRefusedBecauseItWouldNeedDnsItself() {
            assertThatThrownBy(() -> Probes.parse("dns://isp-resolver/example.com", null, SECOND))
                    .hasMessageContaining("the resolver must be an IP address, not 'isp-resolver'");
        }

        @Test
        void otherMistakesNameTheProblem() {
            assertThatThrownBy(() -> Probes.parse("dns://192.168.1.1/", null, SECOND)).hasMessageContaining("one name");
            assertThatThrownBy(() -> Probes.parse("tcp://1.1.1.1", null, SECOND)).hasMessageContaining("tcp://1.1.1.1:443");
            assertThatThrownBy(() -> Probes.parse("icmp://1.1.1.1", null, SECOND)).hasMessageContaining("no known scheme");
            assertThatThrownBy(() -> Probes.parse("https://example.com/#expect=1", null, SECOND)).hasMessageContaining("status=NNN");
            assertThatThrownBy(() -> Probes.parse("tcp://1.1.1.1:443", null, Duration.ZERO)).hasMessageContaining("timeout must be positive");
        }

        @Test
        void aBindThatIsNeitherAnAddressNorAnInterfaceListsTheInterfaces() {
            assertThatThrownBy(() -> Probes.parse("tcp://1.1.1.1:443", "wwan9", SECOND))
                    .hasMessageContaining("bind 'wwan9' is neither an IP address nor a network interface")
                    .hasMessageContaining("lo");
        }

        @Test
        void goodFormsParse() {
            assertThat(Probes.parse("dns://192.168.1.1:5353/example.com", null, SECOND).target()).isEqualTo("dns://192.168.1.1:5353/example.com");
            assertThat(Probes.parse("dns://[::1]/example.com", "127.0.0.1", SECOND)).isInstanceOf(DnsProbe.class);
            assertThat(Probes.parse("https://example.com/#status=401", "lo", SECOND)).isInstanceOf(HttpProbe.class);
        }
    }

    @Nested
    class Tcp {
        @Test
        void anOpenPortIsOkAndAClosedOneFailsAsRefused() throws Exception {
            try (ServerSocket open = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
                ProbeResult ok = Probes.parse("tcp://127.0.0.1:" + open.getLocalPort(), null, SECOND).run();
                ProbeResult closed = Probes.parse("tcp://127.0.0.1:" + FreePorts.next(), null, SECOND).run();

                assertThat(ok.ok()).as(ok.toString()).isTrue();
                assertThat(closed.ok()).isFalse();
                assertThat(closed.detail()).isEqualTo("connection refused");
                assertThat(closed.rtt()).isLessThan(SECOND);
            }
        }

        @Test
        void aProbeBoundTo127_0_0_2ConnectsFromThere() throws Exception {
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ProbeResult r = Probes.parse("tcp://127.0.0.1:" + server.getLocalPort(), "127.0.0.2", SECOND).run();
                try (var accepted = server.accept()) {
                    assertThat(r.ok()).as(r.toString()).isTrue();
                    assertThat(accepted.getInetAddress().getHostAddress()).isEqualTo("127.0.0.2");
                }
            }
        }

        @Test
        void bindingToTheLoopbackInterfaceByNameUsesItsIpv4Address() throws Exception {
            try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
                ProbeResult r = Probes.parse("tcp://127.0.0.1:" + server.getLocalPort(), "lo", SECOND).run();

                assertThat(r.detail()).isEqualTo("connected from 127.0.0.1");
            }
        }
    }

    @Nested
    class Http {
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
}
