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
 * sock_diag): {@code lastack} and {@code lastrcv}, milliseconds since the last ACK (duplicate and SACK ones included)
 * and the last data segment (out of order ones included). On a lossy line the session's reader can sit behind one lost
 * segment for seconds — TCP hands nothing on until it is repaired — while ACKs and later segments keep arriving: the
 * kernel sees the path alive where the SSH layer sees silence. The same holds while the home sends a page: the
 * keepalive's answer waits behind the page, the page's ACKs do not. Only asked when the SSH layer's silence has
 * reached the dead-after time, so a healthy tunnel never runs it.
 */
final class KernelTcpView {
    private static final Pattern LAST_ACK = Pattern.compile("\\blastack:(\\d+)");
    private static final Pattern LAST_RCV = Pattern.compile("\\blastrcv:(\\d+)");
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
     * ss prints {@code lastack}/{@code lastrcv} only when non-zero: a connection line without them heard something
     * this millisecond. No connection line at all: nothing to tell.
     */
    static OptionalLong parse(String ssOutput) {
        if (ssOutput.isBlank() || !ssOutput.contains("rto:")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.min(field(LAST_ACK, ssOutput), field(LAST_RCV, ssOutput)));
    }

    private static long field(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
