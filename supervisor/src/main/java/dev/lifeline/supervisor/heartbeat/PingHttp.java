package dev.lifeline.supervisor.heartbeat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a ping, bounded in time, and never throws: a service that cannot be reached is an answer like any other.
 * <p>
 * No route is chosen here, as the alert channels choose none: the request leaves by the machine's default route, and
 * the home router sends that out over whichever line works (it fails over by itself; the primary probes see that
 * happen, see {@code links.primary.egressIsp}). During an outage the backup line carries the ping, and when neither
 * line works nothing arrives — which is what the outside service must notice.
 */
final class PingHttp {
    /** What the outside service answered, or why it could not; never the URL (it is the check's credential). */
    record Outcome(boolean delivered, String detail) {
    }

    private final HttpClient client;
    private final Duration timeout;
    private final URI secret;

    /**
     * @param secret the configured URL: cut out of every message, whole and its path alone
     */
    PingHttp(Duration timeout, URI secret) {
        this.timeout = timeout;
        this.secret = secret;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Outcome send(PingRequest ping) {
        HttpRequest.Builder request = HttpRequest.newBuilder(ping.uri()).timeout(timeout).header("User-Agent", "lifeline-heartbeat");
        if (ping.body() == null) {
            request.method(ping.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "text/plain; charset=utf-8").method(ping.method(), HttpRequest.BodyPublishers.ofString(ping.body()));
        }
        // the request timeout ends the wait for the answer's head; the future's bound also covers its body
        CompletableFuture<HttpResponse<Void>> answer = client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        try {
            int status = answer.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS).statusCode();
            // Healthchecks answers 200 "OK" (404 for an unknown check), Uptime Kuma 200 {"ok":true} (500 for an unknown token)
            return status / 100 == 2 ? new Outcome(true, "HTTP " + status) : new Outcome(false, "HTTP " + status);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Outcome(false, redact(cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage())));
        } catch (TimeoutException e) {
            answer.cancel(true);
            return new Outcome(false, "no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome(false, "interrupted");
        }
    }

    /** An I/O message may quote the URL; the host stays, the rest (the check's UUID or push token) goes. */
    String redact(String text) {
        String t = text.replace(secret.toString(), secret.getScheme() + "://" + secret.getRawAuthority() + "/…");
        for (String part : new String[] {secret.getRawPath(), secret.getPath()}) {
            if (part != null && part.length() > 1) {
                t = t.replace(part, "/…");
            }
        }
        return t;
    }
}
