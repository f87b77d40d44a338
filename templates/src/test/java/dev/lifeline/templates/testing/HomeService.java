package dev.lifeline.templates.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/** A tiny HTTP service on loopback that answers with its own name: the "home" behind a tunnel. */
public final class HomeService implements AutoCloseable {
    private final HttpServer server;
    private final String name;
    private final AtomicInteger hits = new AtomicInteger();

    private HomeService(HttpServer server, String name) {
        this.server = server;
        this.name = name;
    }

    public static HomeService start(String name, int port) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            HomeService home = new HomeService(s, name);
            s.createContext("/", ex -> {
                home.hits.incrementAndGet();
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            s.start();
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static HomeService start(String name) {
        return start(name, 0);
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

    @Override
    public String toString() {
        return "HomeService[" + name + " on 127.0.0.1:" + port() + ", " + hits + " hits]";
    }
}
