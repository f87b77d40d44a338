package dev.lifeline.supervisor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An HTTP/1.1 server on 127.0.0.1 that answers every GET with one status and a body of a given size, sent at a
 * given rate (a line of that speed, as far as the client can tell). It counts the body bytes it handed to the
 * kernel — what a metered line would bill — and records where each request came from.
 */
public final class RateLimitedHttpServer implements AutoCloseable {
    /** Small, so that "sent" is close to "received": little can hide in a socket buffer. */
    private static final int SEND_BUFFER = 32 * 1024;
    private static final int CHUNK = 16 * 1024;

    private final ServerSocket server;
    private final int status;
    private final long bodyBytes;
    private final long bytesPerSecond;
    private final AtomicLong sent = new AtomicLong();
    private final List<InetAddress> clients = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    private RateLimitedHttpServer(int status, long bodyBytes, long bytesPerSecond) throws IOException {
        this.status = status;
        this.bodyBytes = bodyBytes;
        this.bytesPerSecond = bytesPerSecond;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "rate-limited-http");
        t.setDaemon(true);
        t.start();
    }

    /** Serves {@code bodyBytes} at {@code bitsPerSecond} with HTTP 200. */
    public static RateLimitedHttpServer start(long bitsPerSecond, long bodyBytes) {
        return start(200, bitsPerSecond, bodyBytes);
    }

    public static RateLimitedHttpServer start(int status, long bitsPerSecond, long bodyBytes) {
        try {
            return new RateLimitedHttpServer(status, bodyBytes, bitsPerSecond / 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/down";
    }

    /** Body bytes written to sockets so far, over all requests. */
    public long bytesSent() {
        return sent.get();
    }

    /** The source address of each request, in order. */
    public List<InetAddress> clients() {
        return List.copyOf(clients);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setSendBufferSize(SEND_BUFFER);
                open.add(s);
                clients.add(s.getInetAddress());
                Thread t = new Thread(() -> serve(s), "rate-limited-http-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            readRequestHead(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 " + status + " Test\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                    + bodyBytes + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] chunk = new byte[CHUNK];
            long start = System.nanoTime();
            long mine = 0;
            // bounded by bodyBytes; a client that goes away ends it with an IOException
            while (mine < bodyBytes && !server.isClosed()) {
                long allowed = (long) ((System.nanoTime() - start) / 1e9 * bytesPerSecond) + CHUNK;
                if (allowed <= mine) {
                    LockSupport.parkNanos(200_000);
                    continue;
                }
                int n = (int) Math.min(Math.min(CHUNK, allowed - mine), bodyBytes - mine);
                out.write(chunk, 0, n);
                mine += n;
                sent.addAndGet(n);
            }
            out.flush();
        } catch (IOException clientGone) {
            // the client stopped reading: that is the point of an early-stopping check
        } finally {
            open.remove(s);
        }
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int i = 0; i < 64 * 1024 && matched < 4; i++) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed before the request ended");
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    @Override
    public String toString() {
        return "RateLimitedHttpServer[" + url() + ", HTTP " + status + ", " + bytesPerSecond * 8 / 1_000_000 + " Mbit/s, sent "
                + sent.get() + " B]";
    }
}
