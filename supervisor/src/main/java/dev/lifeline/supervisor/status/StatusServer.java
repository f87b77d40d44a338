package dev.lifeline.supervisor.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.lifeline.supervisor.settings.SecretFile;

/**
 * The status server: {@code /} (the page), {@code /status} and {@code /history} (JSON), {@code /metrics}
 * (Prometheus text). GET only. On loopback a token is optional; on any other address one is required, and then every
 * request must carry it.
 *
 * <p>Slow clients: the JDK's server reads a request's headers on a handler thread, so a client that sends half a
 * request holds a thread. Hence a request must arrive whole within {@link #MAX_REQUEST_SECONDS} (the JDK's own
 * {@code sun.net.httpserver.maxReqTime}; it closes the connection), and the handlers are many but bounded: 200
 * half-open connections leave threads for the page (StatusSlowClientsIT). Beyond the bound a connection is refused,
 * never run on the accepting thread, which would stop accepting altogether.
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    /** Threads that answer at once; more are started for clients that keep one waiting, up to MAX_HANDLER_THREADS. */
    static final int HANDLER_THREADS = 2;
    static final int MAX_HANDLER_THREADS = 256;
    static final int MAX_REQUEST_SECONDS = 10;

    static {
        // read once, when the JDK's server class first loads; Lifeline.main sets the same value first, this covers
        // a server started any other way
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
        }
    }
    /** How long close() lets a request in flight finish. */
    static final int STOP_GRACE_SECONDS = 1;

    private final HttpServer http;
    private final ThreadPoolExecutor handlers;
    private final ScheduledExecutorService sampler;
    private final History history;

    private StatusServer(HttpServer http, ThreadPoolExecutor handlers, ScheduledExecutorService sampler, History history) {
        this.http = http;
        this.handlers = handlers;
        this.sampler = sampler;
        this.history = history;
    }

    /**
     * What {@code lifeline run} calls: listens where the section says (its token read from {@code tokenFile}) and
     * samples the source every {@code sampleEvery}.
     *
     * @throws dev.lifeline.supervisor.settings.ConfigException the token file is missing, unreadable or open to others
     * @throws UncheckedIOException the address cannot be bound (in use, not on this machine)
     */
    public static StatusServer start(StatusSection section, StatusSource source, Clock clock) {
        BearerToken token = section.tokenFile() == null ? null : new BearerToken(SecretFile.token("status.tokenFile", section.tokenFile(), StatusSection.MIN_TOKEN_LENGTH));
        return start(section.listen(), token, source, new History(section.sampleEvery(), section.pricePerHour(), section.monthlyFixed()),
                section.sampleEvery(), clock, section.site());
    }

    /** With the default site (this machine's host name). */
    public static StatusServer start(InetSocketAddress listen, BearerToken token, StatusSource source, History history,
                                     Duration sampleEvery, Clock clock) {
        return start(listen, token, source, history, sampleEvery, clock, StatusSection.DEFAULTS.site());
    }

    /**
     * @param token null: no token (refused unless {@code listen} is loopback)
     * @param site  the {@code site} label on every metric
     * @throws IllegalArgumentException a non-loopback address without a token
     */
    public static StatusServer start(InetSocketAddress listen, BearerToken token, StatusSource source, History history,
                                     Duration sampleEvery, Clock clock, String site) {
        if (!listen.getAddress().isLoopbackAddress() && token == null) {
            throw new IllegalArgumentException("status server: " + StatusSection.describe(listen) + " is not a loopback address;"
                    + " anyone who reaches it would see when the home is cut off. Set status.tokenFile, or listen on "
                    + StatusSection.DEFAULT_LISTEN);
        }
        HttpServer http;
        try {
            http = HttpServer.create(listen, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("status server: cannot listen on " + StatusSection.describe(listen) + " (" + e.getMessage()
                    + "); change status.listen or stop what uses that port", e);
        }
        // No queue: each accepted connection gets a thread, idle ones end after 10 s; past the bound it is refused.
        ThreadPoolExecutor handlers = new ThreadPoolExecutor(HANDLER_THREADS, MAX_HANDLER_THREADS, 10, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemon("lifeline-status"), new ThreadPoolExecutor.AbortPolicy());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(daemon("lifeline-status-sample"));
        Routes routes = new Routes(source, history, () -> new StatusMetrics(site, history.pricePerHour(), history.monthlyFixed()), clock, token,
                StatusServer::json, page());
        http.createContext("/", routes::handle);
        http.setExecutor(handlers);
        http.start();
        sampler.scheduleWithFixedDelay(() -> sample(source, history, clock), 0, sampleEvery.toMillis(), TimeUnit.MILLISECONDS);
        StatusServer server = new StatusServer(http, handlers, sampler, history);
        LOG.info("status page at {}{}", server.uri(), token == null ? "" : " (bearer token required)");
        return server;
    }

    /** A failing source must not end the sampling: the next sample may well work. */
    private static void sample(StatusSource source, History history, Clock clock) {
        try {
            history.record(StatusSnapshot.read(source, clock.instant()));
        } catch (RuntimeException e) {
            LOG.warn("status sample failed: {}", e.toString());
        }
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:9309/}. */
    public URI uri() {
        return URI.create("http://" + StatusSection.describe(address()) + "/");
    }

    public History history() {
        return history;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        http.stop(STOP_GRACE_SECONDS);
        handlers.shutdownNow();
    }

    @Override
    public String toString() {
        return "StatusServer[" + uri() + (handlers.isShutdown() ? ", closed" : "") + "]";
    }

    static ObjectMapper json() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    private static byte[] page() {
        try (InputStream in = StatusServer.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IllegalStateException("status page resource index.html is missing from the jar; rebuild lifeline.jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Writes one response; the body is small and complete, so its length is known up front. */
    static void respond(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
