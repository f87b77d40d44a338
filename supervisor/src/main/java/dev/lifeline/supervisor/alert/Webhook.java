package dev.lifeline.supervisor.alert;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;


/** A POST per alert: a JSON document, or ntfy's form (text body, Title/Priority/Tags headers). 2xx is delivered. */
final class Webhook implements Notifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WebhookSection config;
    private final String token;
    private final ChannelHttp http;

    /** @param token null: no Authorization header */
    Webhook(WebhookSection config, String token, ChannelHttp http) {
        this.config = config;
        this.token = token;
        this.http = http;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public Delivery send(Alert alert) {
        HttpRequest.Builder request = HttpRequest.newBuilder(config.url()).timeout(http.timeout());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (config.format() == WebhookSection.Format.NTFY) {
            request.header("Title", headerSafe(AlertTexts.subject(alert)))
                    .header("Priority", alert.severity() == Severity.IMMEDIATE ? "high" : "default")
                    .header("Tags", alert.severity() == Severity.IMMEDIATE ? "rotating_light" : "warning")
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(alert.text()));
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json(alert)));
        }
        HttpResponse<String> response = http.send("webhook " + config.url().getHost(), request.build(), token);
        int status = response.statusCode();
        if (status / 100 == 2) {
            return new Delivery(name(), alert.id(), "HTTP " + status);
        }
        String said = " (HTTP " + status + ": " + redact(ChannelHttp.excerpt(response.body())) + ")";
        if (status == 401 || status == 403) {
            throw new NotifierException("webhook at " + config.url().getHost() + " refused the request" + said + "; check tokenFile", true, null);
        }
        if (ChannelHttp.permanent(status)) {
            throw new NotifierException("webhook at " + config.url().getHost() + " refused the alert" + said + "; check url and format", true, null);
        }
        throw new NotifierException("webhook at " + config.url().getHost() + " did not take the alert" + said + "; will retry", false, null);
    }

    private String redact(String text) {
        return token == null ? text : text.replace(token, "***");
    }

    /** HTTP headers carry visible ASCII only; an alert's ü or emoji would make the request invalid. */
    private static String headerSafe(String text) {
        return text.replace("…", "...").chars().map(c -> c >= 0x20 && c < 0x7f ? c : '?')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static String json(Alert alert) {
        Map<String, String> doc = new LinkedHashMap<>();
        doc.put("title", AlertTexts.subject(alert));
        doc.put("message", alert.text());
        doc.put("severity", alert.severity().name().toLowerCase(java.util.Locale.ROOT));
        doc.put("condition", alert.condition());
        doc.put("id", alert.id());
        doc.put("at", alert.at().toString());
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }
}
