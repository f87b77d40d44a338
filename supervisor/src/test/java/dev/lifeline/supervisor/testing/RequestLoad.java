package dev.lifeline.supervisor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Web traffic through a tunnel port as nginx makes it: a new connection per request (HTTP/1.0, so each one is a
 * forwarded channel of its own), {@code perSecond} of them, each given 2 s. Requests to a frozen tunnel hang; those
 * pile up on the pool's threads as they would in nginx, and keep forwarded connections open on the bastion.
 */
public final class RequestLoad implements AutoCloseable {
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "load-clock"));
    private final ExecutorService pool = Executors.newFixedThreadPool(64, r -> daemon(r, "load"));
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private RequestLoad(int port, int perSecond) {
        clock.scheduleAtFixedRate(() -> pool.execute(() -> request(port)), 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
    }

    public static RequestLoad start(int port, int perSecond) {
        return new RequestLoad(port, perSecond);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void request(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("GET / HTTP/1.0\r\nHost: load\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            in.readAllBytes();
            if (new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.") && head.length == 12 && head[9] == '2') {
                answered.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
        } catch (IOException e) {
            failed.incrementAndGet();
        }
    }

    public long answered() {
        return answered.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        clock.shutdownNow();
        pool.shutdownNow();
    }
}
