package dev.lifeline.supervisor.alert;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;


/** Channel configs and secrets the channel tests share; every secret is distinctive so a leak is easy to find. */
final class Channels {
    static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    static final String TWILIO_TOKEN = "twilio-token-0f1e2d3c4b5a69788796a5b4";
    static final String SMTP_PASSWORD = "smtp-pw-Zq8!never-shown";
    static final String BOT_TOKEN = "123456:bot-token-AAH4never-shown";
    static final String WEBHOOK_TOKEN = "webhook-token-tk_never_shown";
    static final List<String> SECRETS = List.of(TWILIO_TOKEN, SMTP_PASSWORD, BOT_TOKEN, WEBHOOK_TOKEN);

    private Channels() {
    }

    static Alert alert(String text) {
        return new Alert("a-1", Instant.parse("2025-01-31T21:04:00Z"), Severity.IMMEDIATE, "primary.outage", text);
    }

    static TwilioSection twilio(String from, List<String> to, int port) {
        return new TwilioSection(ACCOUNT_SID, Path.of("/unused"), from, to, URI.create("http://127.0.0.1:" + port));
    }

    static TelegramSection telegram(int port) {
        return new TelegramSection(Path.of("/unused"), "-1001234567", URI.create("http://127.0.0.1:" + port));
    }

    static WebhookSection webhook(int port, WebhookSection.Format format) {
        return new WebhookSection(URI.create("http://127.0.0.1:" + port + "/hook"), null, format);
    }

    static EmailSection email(int port, EmailSection.Security security) {
        return new EmailSection("127.0.0.1", port, security, "lifeline", Path.of("/unused"), "lifeline@home.example", List.of("admin@example.com"));
    }
}
