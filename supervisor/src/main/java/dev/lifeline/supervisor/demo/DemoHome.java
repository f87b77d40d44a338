package dev.lifeline.supervisor.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/** The home service the demo exposes: a small web page on 127.0.0.1 that counts its visitors. */
public final class DemoHome implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();

    public DemoHome() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        } catch (IOException e) {
            throw new UncheckedIOException("demo home service cannot listen", e);
        }
        server.createContext("/", exchange -> {
            byte[] body = ("hello from home — visitor " + hits.incrementAndGet() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            // one request per connection: a kept-alive connection through the tunnel would (rightly) hold the
            // bastion up, and the demo's visitor has gone
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public int hits() {
        return hits.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
