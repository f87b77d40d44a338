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

/** TCP probes against loopback listeners: open, closed, and bound to a chosen source. */
class TcpProbeTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

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
