package dev.lifeline.supervisor.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Opens a TCP connection from the line's source address and closes it: the handshake is the whole check. */
final class TcpProbe implements Probe {
    private final String target;
    private final InetSocketAddress address;
    private final BoundSocketFactory sockets;
    private final Duration timeout;

    TcpProbe(String target, InetSocketAddress address, SourceAddress source, Duration timeout) {
        this.target = target;
        this.address = address;
        this.sockets = new BoundSocketFactory(source);
        this.timeout = timeout;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public ProbeResult run() {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            sockets.bind(s);
            s.connect(address, Math.toIntExact(Math.max(1, timeout.toMillis())));
            return ProbeResult.ok(target, Duration.ofNanos(System.nanoTime() - start),
                    "connected from " + s.getLocalAddress().getHostAddress());
        } catch (IOException e) {
            return ProbeResult.failed(target, Duration.ofNanos(System.nanoTime() - start), Failures.describe(e, timeout));
        }
    }

    @Override
    public String toString() {
        return "TcpProbe[" + target + "]";
    }
}
