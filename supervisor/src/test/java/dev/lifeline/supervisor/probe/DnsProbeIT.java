package dev.lifeline.supervisor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.testing.RealDnsmasq;

/** DNS probes against a real dnsmasq on 127.0.0.1 that knows example.test, says NXDOMAIN for nx.test, refuses the rest. */
class DnsProbeIT {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static RealDnsmasq dnsmasq;

    @BeforeAll
    static void startDnsmasq() {
        dnsmasq = RealDnsmasq.start(List.of("--address=/example.test/198.18.0.10", "--address=/nx.test/"));
    }

    @AfterAll
    static void stopDnsmasq() {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
    }

    private static ProbeResult probe(String name, String bind) {
        return Probes.parse("dns://127.0.0.1:" + dnsmasq.port() + "/" + name, bind, SECOND).run();
    }

    @Test
    void anAnsweredNameIsOkWithTheAddress() {
        ProbeResult r = probe("example.test", null);

        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.detail()).isEqualTo("NOERROR 198.18.0.10");
        assertThat(r.rtt()).isLessThan(SECOND);
    }

    @Test
    void nxdomainStillProvesThePath() {
        ProbeResult r = probe("nx.test", null);

        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.detail()).isEqualTo("NXDOMAIN");
    }

    @Test
    void aRefusingResolverIsAFailure() {
        ProbeResult r = probe("elsewhere.org", null);

        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).isEqualTo("REFUSED from 127.0.0.1");
    }

    @Test
    void aResolverThatNeverAnswersTimesOutWithinTheTimeout() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Duration timeout = Duration.ofMillis(500);
            long start = System.nanoTime();
            ProbeResult r = Probes.parse("dns://127.0.0.1:" + silent.getLocalPort() + "/example.test", null, timeout).run();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(r.ok()).isFalse();
            assertThat(r.detail()).isEqualTo("timeout after 500 ms");
            assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofMillis(1500));
        }
    }

    @Test
    void aProbeBoundTo127_0_0_2AsksFromThere() {
        ProbeResult r = probe("bound.example.test", "127.0.0.2");

        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(dnsmasq.log()).contains("query[A] bound.example.test from 127.0.0.2");
    }
}
