package dev.lifeline.supervisor.alert;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * A bot's message to one chat. Telegram puts the bot token in the URL path ({@code /bot<TOKEN>/sendMessage}), so the
 * URL is never logged, never put in a message, and I/O errors are reported without their cause.
 */
final class TelegramBot implements Notifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TelegramSection config;
    private final String token;
    private final ChannelHttp http;

    TelegramBot(TelegramSection config, String token, ChannelHttp http) {
        this.config = config;
        this.token = token;
        this.http = http;
    }

    @Override
    public String name() {
        return "telegram";
    }

    @Override
    public Delivery send(Alert alert) {
        HttpRequest request = HttpRequest.newBuilder(sendMessageUri())
                .timeout(http.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("chat_id", config.chatId(), "text", alert.text()))))
                .build();
        HttpResponse<String> response = http.send("Telegram", request, token);
        JsonNode answer = parse(response.body());
        int status = response.statusCode();
        if (status / 100 == 2 && answer.path("ok").asBoolean(false) && answer.path("result").has("message_id")) {
            return new Delivery(name(), alert.id(), answer.path("result").path("message_id").asText());
        }
        String said = " (HTTP " + status + ": " + answer.path("description").asText(ChannelHttp.excerpt(response.body())).replace(token, "***") + ")";
        if (status == 401 || status == 404) {
            // Telegram answers an unknown token with 401 or 404 (the URL, token included, does not exist).
            throw new NotifierException("Telegram refused the bot token" + said + "; check botTokenFile", true, null);
        }
        if (status == 429) {
            int after = answer.path("parameters").path("retry_after").asInt(0);
            throw new NotifierException("Telegram rate limit" + said + "; retry after " + after + " s", false, null);
        }
        if (ChannelHttp.permanent(status)) {
            throw new NotifierException("Telegram refused the message" + said + "; check chatId and that the bot is in the chat", true, null);
        }
        throw new NotifierException("Telegram did not take the message" + said + "; will retry", false, null);
    }

    private URI sendMessageUri() {
        String base = config.endpoint().toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "bot" + token + "/sendMessage");
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }
}
