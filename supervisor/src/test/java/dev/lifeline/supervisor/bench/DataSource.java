package dev.lifeline.supervisor.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A home service that sends {@code bytes} to every connection and closes: what the benchmark pulls through a tunnel. */
final class DataSource implements AutoCloseable {
    private final ServerSocket server;
    private final long bytes;

    DataSource(long bytes) {
        this.bytes = bytes;
        try {
            server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread t = new Thread(this::serve, "data-source");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) (i * 31 + 7);
        }
        while (!server.isClosed()) {
            try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                long left = bytes;
                while (left > 0) {
                    int n = (int) Math.min(chunk.length, left);
                    out.write(chunk, 0, n);
                    left -= n;
                }
            } catch (IOException e) {
                // the reader went away; serve the next one
            }
        }
    }

    /** Connects to {@code port} (the tunnel's end on the bastion) and reads everything: MB/s (10^6 bytes). */
    static double pull(int port, long expected) throws IOException {
        byte[] buf = new byte[256 * 1024];
        long start = System.nanoTime();
        long got = 0;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            var in = s.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                got += n;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (got != expected) {
            throw new IOException("pulled " + got + " of " + expected + " bytes");
        }
        return got / 1e6 / seconds;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
