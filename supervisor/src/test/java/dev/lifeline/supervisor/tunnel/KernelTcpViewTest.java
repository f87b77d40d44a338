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
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

/** The kernel's view through the real {@code ss} (iproute2, which ci/test.sh installs) on a real loopback connection. */
// (The other half — an ACK while our data is in flight counts — needs a line that loses packets: LossyLineIT.)
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
            // ours goes out and the peer's kernel ACKs it at once, but the peer sends nothing: an ACK with nothing of
            // ours left in flight is what a hung sshd or a relay swallowing the connection gives, and proves nothing
            client.getOutputStream().write(7);
            assertThat(peer.getInputStream().read()).isEqualTo(7);
            Thread.sleep(100);
            OptionalLong quiet = KernelTcpView.millisSinceHeard(local, remote);
            toClient.write(2);
            assertThat(atClient.read()).isEqualTo(2);
            OptionalLong justNow = KernelTcpView.millisSinceHeard(local, remote);

            assertThat(quiet).as("1.6 s after the peer's last data segment, 0.1 s after its last ACK").isPresent();
            assertThat(quiet.getAsLong()).isBetween(1500L, 10_000L);
            assertThat(justNow).isPresent();
            assertThat(justNow.getAsLong()).as("right after a segment").isLessThan(1000L);
            assertThat(KernelTcpView.millisSinceHeard(local, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)))
                    .as("no such connection: it cannot tell").isEmpty();
        }
    }
}
