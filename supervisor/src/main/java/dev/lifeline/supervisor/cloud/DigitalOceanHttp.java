package dev.lifeline.supervisor.cloud;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.utils.DateUtils;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.conn.DefaultRoutePlanner;

/**
 * The Apache client the myjeeva DigitalOcean client runs on, set up for a daemon: bounded timeouts (its default
 * client waits forever), no retries of its own (Failsafe decides), and the last response's {@code Retry-After}
 * kept, because the myjeeva client drops response headers from its exceptions.
 *
 * <p>Endpoint override: the myjeeva client always builds {@code https://api.digitalocean.com/v2/…} (scheme and host
 * are fixed in its code). Rather than subclassing it or patching its fields, we route its requests at the
 * connection level: a route planner sends every request to the endpoint's scheme, host and port, and the Host
 * header names the endpoint. The library's paths, bodies and headers stay exactly what it sends to DigitalOcean,
 * which is what the tests verify. An https endpoint is checked against the JVM's trust store and the endpoint's host
 * name like any other; tests use plain http on 127.0.0.1 so no test certificate needs trusting.
 */
final class DigitalOceanHttp {
    private final AtomicReference<String> lastRetryAfter = new AtomicReference<>();
    private final CloseableHttpClient client;

    DigitalOceanHttp(URI endpoint, CloudSettings settings) {
        int connect = (int) settings.connectTimeout().toMillis();
        int read = (int) settings.attemptTimeout().toMillis();
        HttpClientBuilder builder = HttpClientBuilder.create()
                .useSystemProperties()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(connect).setSocketTimeout(read).setConnectionRequestTimeout(connect).build())
                .addInterceptorLast((org.apache.http.HttpResponseInterceptor) (response, context) -> {
                    Header h = response.getFirstHeader("Retry-After");
                    lastRetryAfter.set(h == null ? null : h.getValue());
                });
        if (endpoint != null) {
            HttpHost target = new HttpHost(endpoint.getHost(), endpoint.getPort(), endpoint.getScheme());
            String authority = endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
            builder.setRoutePlanner(new DefaultRoutePlanner(null) {
                @Override
                public HttpRoute determineRoute(HttpHost ignored, org.apache.http.HttpRequest request,
                                                org.apache.http.protocol.HttpContext context) throws org.apache.http.HttpException {
                    return super.determineRoute(target, request, context);
                }
            });
            builder.addInterceptorFirst((org.apache.http.HttpRequestInterceptor) (request, context) -> request.setHeader("Host", authority));
        }
        this.client = builder.build();
    }

    CloseableHttpClient client() {
        return client;
    }

    /** The {@code Retry-After} of the last response, as a delay from now (seconds or an HTTP date). */
    Optional<Duration> lastRetryAfter() {
        String value = lastRetryAfter.get();
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException notSeconds) {
            Date at = DateUtils.parseDate(value.trim());
            return at == null ? Optional.empty()
                    : Optional.of(Duration.between(Instant.now(), at.toInstant())).filter(d -> !d.isNegative());
        }
    }

    void close() {
        try {
            client.close();
        } catch (java.io.IOException ignored) {
            // nothing left to release that matters
        }
    }
}
