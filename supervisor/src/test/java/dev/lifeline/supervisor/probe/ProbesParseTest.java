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

/** Probe strings as people write them, and the errors they get for the wrong ones. */
class ProbesParseTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

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
