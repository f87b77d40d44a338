package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The kernel's view through the real {@code ss} (iproute2, which ci/test.sh installs) on a real loopback connection. */
class KernelTcpViewTest {

    @Test
    void tellsHowLongAgoTheKernelHeardThePeerOfOneConnection() throws Exception {
        boolean haveSs = Files.isExecutable(Path.of("/usr/bin/ss")) || Files.isExecutable(Path.of("/bin/ss"));
        if ("true".equals(System.getenv("CI"))) {
            assertThat(haveSs).as("ss (iproute2, ci/test.sh) installed").isTrue();
        }
        assumeTrue(haveSs, "ss (iproute2) is not installed: skipped outside CI");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket peer = server.accept()) {
            OutputStream toClient = peer.getOutputStream();
            InputStream atClient = client.getInputStream();
            toClient.write(1);
            assertThat(atClient.read()).isEqualTo(1);
            InetSocketAddress local = (InetSocketAddress) client.getLocalSocketAddress();
            InetSocketAddress remote = (InetSocketAddress) client.getRemoteSocketAddress();

            Thread.sleep(1500);
            Optional<KernelTcpView.Heard> quiet = KernelTcpView.ask(local, remote);
            client.getOutputStream().write(7); // the peer's kernel ACKs it; the peer sends nothing
            assertThat(peer.getInputStream().read()).isEqualTo(7);
            Thread.sleep(300);
            Optional<KernelTcpView.Heard> acked = KernelTcpView.ask(local, remote);
            toClient.write(2);
            assertThat(atClient.read()).isEqualTo(2);
            Optional<KernelTcpView.Heard> justNow = KernelTcpView.ask(local, remote);

            assertThat(quiet).as("1.5 s after the peer's last segment").isPresent();
            assertThat(quiet.get().millisSince()).isBetween(1400L, 10_000L);
            assertThat(acked).as("an ACK is heard too").isPresent();
            assertThat(acked.get().millisSince()).isLessThan(1000L);
            assertThat(justNow).isPresent();
            assertThat(justNow.get().millisSince()).as("right after a segment").isLessThan(1000L);
            assertThat(List.of(quiet.get(), acked.get(), justNow.get())).as("loopback loses nothing: no resend of our data")
                    .noneMatch(KernelTcpView.Heard::resending);
            assertThat(KernelTcpView.ask(local, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)))
                    .as("no such connection: it cannot tell").isEmpty();
        }
    }
}
