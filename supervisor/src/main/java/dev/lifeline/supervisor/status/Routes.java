package dev.lifeline.supervisor.status;

import static dev.lifeline.supervisor.status.StatusServer.respond;
import static dev.lifeline.supervisor.status.StatusServer.utf8;

import java.io.IOException;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import dev.lifeline.supervisor.settings.OnFirstUse;

/** Who may ask (token, Host), how (GET), and what each path answers. */
final class Routes {
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
    private static final String JSON = "application/json; charset=utf-8";
    /** Prometheus text exposition format 0.0.4. */
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    /** The page may run its own inline script and talk to this server only: no CDN, font or beacon can load. */
    private static final String PAGE_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
            + " connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** Names that mean this machine; anything else in Host on a tokenless server is a DNS-rebinding page. */
    private static final Pattern LOOPBACK_HOST = Pattern.compile("(127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|localhost|\\[::1])(:\\d+)?");

    private final StatusSource source;
    private final History history;
    /**
     * Made on the first request that needs them, not at start: Micrometer's registry with its JVM binders (the JMX
     * beans) and Jackson's serializers with the java.time module are some 400 classes, whose metadata a daemon that is
     * never scraped would carry for nothing (metaspace of the application's class loader is never given back).
     */
    private final OnFirstUse<StatusMetrics> metrics;
    private final Clock clock;
    private final BearerToken token;
    private final OnFirstUse<ObjectMapper> json;
    private final byte[] page;

    Routes(StatusSource source, History history, Supplier<StatusMetrics> metrics, Clock clock, BearerToken token, Supplier<ObjectMapper> json,
           byte[] page) {
        this.source = source;
        this.history = history;
        this.metrics = new OnFirstUse<>(metrics);
        this.clock = clock;
        this.token = token;
        this.json = new OnFirstUse<>(json);
        this.page = page;
    }

    void handle(HttpExchange ex) throws IOException {
        try {
            if (token != null && !token.admits(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"lifeline\"");
                respond(ex, 401, JSON, utf8("{\"error\":\"send Authorization: Bearer <the token in status.tokenFile>\"}"));
                return;
            }
            if (token == null && !loopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
                // Without a token the only protection is that the caller is on this machine; a web page the admin
                // visits could still reach 127.0.0.1 through a rebound DNS name, and that name shows up here.
                respond(ex, 403, JSON, utf8("{\"error\":\"open this page as http://127.0.0.1:PORT/\"}"));
                return;
            }
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET");
                respond(ex, 405, JSON, utf8("{\"error\":\"read-only: GET only\"}"));
                return;
            }
            route(ex);
        } catch (RuntimeException e) {
            // The message may name internals; the log has it, the caller gets a plain 500.
            LOG.warn("status request {} failed: {}", ex.getRequestURI().getPath(), e.toString());
            respond(ex, 500, JSON, utf8("{\"error\":\"internal error; see the supervisor's log\"}"));
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        switch (ex.getRequestURI().getPath()) {
            case "/" -> {
                ex.getResponseHeaders().set("Content-Security-Policy", PAGE_POLICY);
                respond(ex, 200, "text/html; charset=utf-8", page);
            }
            case "/status" -> {
                StatusSnapshot s = StatusSnapshot.read(source, clock.instant());
                respond(ex, 200, JSON, json.get().writeValueAsBytes(StatusDocument.of(s, history.view(s.at()))));
            }
            case "/history" -> respond(ex, 200, JSON, json.get().writeValueAsBytes(history.view(clock.instant())));
            case "/metrics" -> respond(ex, 200, PROMETHEUS, utf8(metrics.get().scrape(StatusSnapshot.read(source, clock.instant()))));
            default -> respond(ex, 404, JSON, utf8("{\"error\":\"not found; try /, /status, /history or /metrics\"}"));
        }
    }

    private static boolean loopbackHost(String host) {
        return host != null && LOOPBACK_HOST.matcher(host).matches();
    }
}
