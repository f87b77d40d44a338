package dev.lifeline.supervisor.tunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the kernel has heard from the bastion on one TCP connection, asked of {@code ss -ti} (iproute2, netlink
 * sock_diag). On a lossy line the session's reader can sit behind one lost segment for seconds — TCP hands nothing on
 * until it is repaired — while ACKs and later segments keep arriving; and while the home sends a page, the keepalive's
 * answer waits behind the page but the page's ACKs do not. So the kernel can see the path alive where the SSH layer
 * sees silence. What counts: {@code lastrcv} and {@code lastack}, ms since the last data segment (out-of-order ones
 * included) and the last ACK (duplicate and SACK ones included). An ACK alone is weak proof — a peer whose kernel
 * ACKs while its sshd hangs gives them too — so {@link ProofOfLife} lets the kernel's word cover a few dead-after times
 * of SSH silence, not more. Whether our own data is being resent ({@link Heard#resending}) goes into the drop's message.
 * Only asked when the SSH layer's silence has reached the dead-after time, so a healthy tunnel never runs it.
 */
final class KernelTcpView {
    private static final Pattern LAST_ACK = Pattern.compile("\\blastack:(\\d+)");
    private static final Pattern LAST_RCV = Pattern.compile("\\blastrcv:(\\d+)");
    /** ss prints these only when non-zero: the timer's doublings so far, and RTO resends of the oldest segment. */
    private static final Pattern BACKOFF = Pattern.compile("\\bbackoff:(\\d+)");
    private static final Pattern RETRANSMITS = Pattern.compile("\\bretrans:(\\d+)/");
    private static final long WAIT_MILLIS = 2000;
    private static final List<Path> SS = List.of(Path.of("/usr/bin/ss"), Path.of("/bin/ss"), Path.of("/usr/sbin/ss"), Path.of("/sbin/ss"));

    private static final Logger LOG = LoggerFactory.getLogger(KernelTcpView.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private KernelTcpView() {
    }

    /** Once per process: without ss a silent-looking session is judged by the SSH layer alone. */
    private static void unavailable(String why) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("cannot ask the kernel about tunnel connections ({}): a tunnel on a lossy line may be dropped while"
                    + " it still works; install iproute2 and allow AF_NETLINK", why);
        }
    }

    /**
     * What the kernel knows of one connection.
     *
     * @param millisSince ms since it last heard anything from the peer
     * @param resending   whether it is resending our data after a timeout (ss's backoff or retrans:N/ with N &gt; 0)
     */
    record Heard(long millisSince, boolean resending) {
    }

    /**
     * What the kernel has heard from {@code remote} on the connection from {@code local}; empty when it cannot tell
     * (no ss, the connection gone, an unreadable answer): the caller then trusts its own count.
     */
    static Optional<Heard> ask(InetSocketAddress local, InetSocketAddress remote) {
        String text = query(local, remote);
        return text == null ? Optional.empty() : parse(text);
    }

    /** ss's line for the connection, or null (and a warning once, where ss itself is missing or refused). */
    private static String query(InetSocketAddress local, InetSocketAddress remote) {
        Path ss = SS.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (ss == null) {
            unavailable("no ss");
            return null;
        }
        if (local == null || remote == null || local.getAddress() == null || remote.getAddress() == null) {
            return null;
        }
        try {
            Process p = new ProcessBuilder(ss.toString(), "-tinH", "state", "established",
                    "src", hostPort(local), "dst", hostPort(remote)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                unavailable("ss exited with " + p.exitValue() + ": " + text.strip());
                return null;
            }
            return text;
        } catch (IOException e) {
            unavailable(e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * ss prints {@code lastack}/{@code lastrcv} only when non-zero: a missing one is "this millisecond". No connection
     * line at all: nothing to tell.
     */
    static Optional<Heard> parse(String ssOutput) {
        if (ssOutput.isBlank() || !ssOutput.contains("rto:")) {
            return Optional.empty();
        }
        long millis = Math.min(field(LAST_RCV, ssOutput, 0), field(LAST_ACK, ssOutput, 0));
        boolean resending = field(BACKOFF, ssOutput, 0) > 0 || field(RETRANSMITS, ssOutput, 0) > 0;
        return Optional.of(new Heard(millis, resending));
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
