package dev.lifeline.supervisor.alert;

import java.net.URI;
import java.time.Duration;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.routing.HttpRoutePlanner;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;

import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;

/**
 * The Twilio SDK's own HTTP client, with two changes made through Apache HttpClient's public seams:
 * <ul>
 * <li>Bounded time. {@code NetworkHttpClient} stamps every request with its own config (30.5 s connect, 10 s pool
 *     wait); an exec interceptor puts ours back before the connection is made, so one SMS never waits longer than the
 *     channel timeout (the SDK tries a 5xx three times in all, 100 ms apart: at most three of those).</li>
 * <li>An endpoint for tests. The SDK always builds {@code https://api.twilio.com/2010-04-01/…} and reshapes the host
 *     when it sees dots in it (region/edge), so rewriting the URL would mangle 127.0.0.1. A route planner instead
 *     sends the connection to the endpoint while the request — path, form, Basic auth — stays exactly what the SDK
 *     made. Without an endpoint the route is Apache's default: https://api.twilio.com with the JVM's trust store.</li>
 * </ul>
 */
final class TwilioHttp {
    private TwilioHttp() {
    }

    static HttpClient create(URI endpoint, Duration timeout) {
        Timeout t = Timeout.of(timeout);
        RequestConfig bounded = RequestConfig.custom().setConnectionRequestTimeout(t).setResponseTimeout(t).build();
        ExecChainHandler boundedTimeouts = (request, scope, chain) -> {
            scope.clientContext.setRequestConfig(bounded);
            return chain.proceed(request, scope);
        };
        HttpClientBuilder builder = HttpClientBuilder.create()
                .setDefaultRequestConfig(bounded)
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(t).setSocketTimeout(t).build())
                        .build())
                .addExecInterceptorFirst("lifeline-bounded-timeouts", boundedTimeouts)
                .disableAutomaticRetries()
                .disableCookieManagement();
        if (endpoint != null) {
            HttpHost to = new HttpHost(endpoint.getScheme(), endpoint.getHost(), port(endpoint));
            builder.setRoutePlanner(new HttpRoutePlanner() {
                @Override
                public HttpRoute determineRoute(HttpHost target, HttpContext context) {
                    return new HttpRoute(to, null, "https".equals(to.getSchemeName()));
                }
            });
        }
        return new NetworkHttpClient(builder);
    }

    private static int port(URI endpoint) {
        if (endpoint.getPort() > 0) {
            return endpoint.getPort();
        }
        return "https".equals(endpoint.getScheme()) ? 443 : 80;
    }
}
