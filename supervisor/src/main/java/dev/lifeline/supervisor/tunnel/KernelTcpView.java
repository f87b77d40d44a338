package dev.lifeline.supervisor.tunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kernel has heard from the bastion on one TCP connection, asked of {@code ss -ti} (iproute2, netlink
 * sock_diag). On a lossy line the session's reader can sit behind one lost segment for seconds — TCP hands nothing on
 * until it is repaired — while ACKs and later segments keep arriving; and while the home sends a page, the keepalive's
 * answer waits behind the page but the page's ACKs do not. So the kernel can see the path alive where the SSH layer
 * sees silence. What counts as proof, from the fields ss prints:
 * <ul>
 *   <li>{@code lastrcv}: ms since the last data segment from the bastion (out-of-order ones included) — a frozen peer
 *       or a relay swallowing the connection sends none;</li>
 *   <li>{@code lastack}: ms since the last ACK (duplicate and SACK ones included), but only while {@code unacked}
 *       shows our data in flight: a peer whose kernel still ACKs everything at once while its sshd never answers (a
 *       hung process, a relay that swallows) leaves nothing unacknowledged, and proves nothing.</li>
 * </ul>
 * Only asked when the SSH layer's silence has reached the dead-after time, so a healthy tunnel never runs it.
 */
final class KernelTcpView {
    private static final Pattern LAST_ACK = Pattern.compile("\\blastack:(\\d+)");
    private static final Pattern LAST_RCV = Pattern.compile("\\blastrcv:(\\d+)");
    private static final Pattern UNACKED = Pattern.compile("\\bunacked:(\\d+)");
    private static final long WAIT_MILLIS = 2000;
    private static final List<Path> SS = List.of(Path.of("/usr/bin/ss"), Path.of("/bin/ss"), Path.of("/usr/sbin/ss"), Path.of("/sbin/ss"));

    private KernelTcpView() {
    }

    /**
     * Milliseconds since the kernel last heard anything from {@code remote} on the connection from {@code local};
     * empty when it cannot tell (no ss, the connection gone, an unreadable answer): the caller then trusts its own count.
     */
    static OptionalLong millisSinceHeard(InetSocketAddress local, InetSocketAddress remote) {
        Path ss = SS.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (ss == null || local == null || remote == null || local.getAddress() == null || remote.getAddress() == null) {
            return OptionalLong.empty();
        }
        try {
            Process p = new ProcessBuilder(ss.toString(), "-tinH", "state", "established",
                    "src", hostPort(local), "dst", hostPort(remote)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return OptionalLong.empty();
            }
            return p.exitValue() == 0 ? parse(new String(out, StandardCharsets.UTF_8)) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /**
     * ss prints {@code lastack}/{@code lastrcv}/{@code unacked} only when non-zero: a missing {@code lastrcv} is "this
     * millisecond", a missing {@code unacked} is nothing in flight. No connection line at all: nothing to tell.
     */
    static OptionalLong parse(String ssOutput) {
        if (ssOutput.isBlank() || !ssOutput.contains("rto:")) {
            return OptionalLong.empty();
        }
        long data = field(LAST_RCV, ssOutput, 0);
        long acks = field(UNACKED, ssOutput, 0) > 0 ? field(LAST_ACK, ssOutput, 0) : Long.MAX_VALUE;
        return OptionalLong.of(Math.min(data, acks));
    }

    private static long field(Pattern p, String s, long absent) {
        Matcher m = p.matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : absent;
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
