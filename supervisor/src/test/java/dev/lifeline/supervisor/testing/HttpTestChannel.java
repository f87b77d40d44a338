package dev.lifeline.supervisor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lifeline.supervisor.alert.Alert;
import dev.lifeline.supervisor.alert.Delivery;
import dev.lifeline.supervisor.alert.Notifier;
import dev.lifeline.supervisor.alert.NotifierException;

/**
 * Stands in for the real channels (Twilio, email, Telegram): a real HTTP client that POSTs the alert as JSON with a
 * bearer token, and classifies the answer the way they do — 2xx accepted (receipt from {@code X-Receipt}, like a
 * Twilio SID), 4xx refused for good, 5xx and network errors transient.
 */
public final class HttpTestChannel implements Notifier {
    public static final String RECEIPT_HEADER = "X-Receipt";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final URI url;
    private final String token;

    public HttpTestChannel(String name, URI url, String token) {
        this.name = name;
        this.url = url;
        this.token = token;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Delivery send(Alert alert) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(alert))).build();
        HttpResponse<String> response;
        try {
            response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new NotifierException(name + ": network error " + e.getClass().getSimpleName(), false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotifierException(name + ": interrupted", false, null);
        }
        int code = response.statusCode();
        if (code / 100 == 2) {
            return new Delivery(name, alert.id(), response.headers().firstValue(RECEIPT_HEADER).orElse("no receipt"));
        }
        throw new NotifierException(name + ": HTTP " + code, code / 100 == 4, null);
    }

    private static String body(Alert alert) {
        try {
            return JSON.writeValueAsString(Map.of("id", alert.id(), "severity", alert.severity().name(),
                    "condition", alert.condition(), "text", alert.text()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "HttpTestChannel[" + name + " → " + url + "]";
    }
}
