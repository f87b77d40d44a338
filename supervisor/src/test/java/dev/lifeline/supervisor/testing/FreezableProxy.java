package dev.lifeline.supervisor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback in front of sshd that can go silent: {@link #freeze()} stops every byte of the
 * connections open now, in both directions, without closing them — what a carrier that drops a flow does.
 * Both ends then see silence and only their keepalives can tell. New connections pass normally.
 *
 * <p>As root the freeze is also one of packets: an nftables table of this proxy's own drops every packet of the frozen
 * connections' client ports, so the client's kernel gets no ACK either (as from a dead carrier; a relay that only
 * swallows still ACKs, which the tunnel's kernel view would rightly take as a live path with a hung peer). The table is
 * deleted on {@link #close}.
 */
public final class FreezableProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean nftTable;

    public FreezableProxy(int target) {
        this.target = target;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.acceptor = new Thread(this::accept, "freezable-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Silences every connection open now. */
    public void freeze() {
        links.forEach(l -> l.frozen = true);
        if ("root".equals(System.getProperty("user.name"))) {
            dropPackets();
        }
    }

    private String table() {
        return "lifeline_freeze_" + port();
    }

    private void dropPackets() {
        List<String> script = new java.util.ArrayList<>(List.of("add table inet " + table(),
                "add chain inet " + table() + " in { type filter hook input priority -10; policy accept; }"));
        for (Link l : links) {
            int clientPort = l.a.getPort();
            script.add("add rule inet " + table() + " in tcp sport " + clientPort + " tcp dport " + port() + " drop");
            script.add("add rule inet " + table() + " in tcp sport " + port() + " tcp dport " + clientPort + " drop");
        }
        dev.lifeline.templates.testing.Tools.Result r = dev.lifeline.templates.testing.Tools.run(20,
                List.of("nft", "-f", "-"), java.util.Map.of(), String.join("\n", script) + "\n");
        if (r.exitCode() != 0) {
            throw new IllegalStateException("nft could not freeze the path: " + r);
        }
        nftTable = true;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                Link link = new Link(client, upstream);
                links.add(link);
                pump(link, client, upstream);
                pump(link, upstream, client);
            } catch (IOException e) {
                // closed, or sshd not there: the client sees its connection fail
            }
        }
    }

    private static void pump(Link link, Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (link.frozen) {
                        continue; // swallow: nothing passes, nothing is closed
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
                if (!link.frozen) {
                    to.shutdownOutput();
                }
            } catch (IOException e) {
                if (!link.frozen) {
                    link.close();
                }
            }
        }, "freezable-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        links.forEach(Link::close);
        if (nftTable) {
            dev.lifeline.templates.testing.Tools.run(20, List.of("nft", "delete", "table", "inet", table()));
        }
    }

    private static final class Link {
        final Socket a;
        final Socket b;
        volatile boolean frozen;

        Link(Socket a, Socket b) {
            this.a = a;
            this.b = b;
        }

        void close() {
            try {
                a.close();
                b.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
