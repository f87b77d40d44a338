package dev.lifeline.supervisor.tunnel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the bastion's tunnel watchdog asks for through each session's health port (the tunnel's port + 1, a second
 * remote forward of the same session): one line, then close. An answer proves the whole path — the session, this
 * process and its forwarder — is alive; the tunnel's own port cannot tell, its service may simply be quiet. One
 * loopback listener and one thread for all tunnels: an answer is 12 bytes into a local socket and never blocks.
 */
final class HealthResponder implements AutoCloseable {
    /** The line the watchdog (templates bastion/tunnel-watchdog) waits for. */
    static final String ANSWER = "lifeline ok\n";
    private static final Logger LOG = LoggerFactory.getLogger(HealthResponder.class);
    private static final byte[] BYTES = ANSWER.getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket socket;
    private final Thread thread;

    private HealthResponder(ServerSocket socket) {
        this.socket = socket;
        this.thread = new Thread(this::serve, "tunnel-health");
        thread.setDaemon(true);
    }

    /** Listens on an ephemeral loopback port: only our own forwarder connects to it. */
    static HealthResponder start() {
        try {
            HealthResponder r = new HealthResponder(new ServerSocket(0, 16, InetAddress.getLoopbackAddress()));
            r.thread.start();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback for the bastion's tunnel health checks", e);
        }
    }

    SshdSocketAddress address() {
        return new SshdSocketAddress("127.0.0.1", socket.getLocalPort());
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                s.getOutputStream().write(BYTES);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.debug("health answer not delivered: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
