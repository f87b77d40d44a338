package dev.lifeline.supervisor.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.lifeline.supervisor.jars.OnDemandJars;
import dev.lifeline.supervisor.settings.SecretFile;

/** Builds the configured channels. Secrets are read here, once, at start; a broken secret file stops the start. */
public final class Notifiers {
    /** One send (connect, request, answer) never takes longer; a channel that hangs must not hold up the outbox. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Notifiers() {
    }

    /**
     * @return one notifier per configured channel, in {@code alerts.order}
     * @throws dev.lifeline.supervisor.settings.ConfigException a secret file is missing, open to others, or empty
     */
    public static List<Notifier> fromConfig(AlertsSection alerts) {
        return fromConfig(alerts, TIMEOUT);
    }

    static List<Notifier> fromConfig(AlertsSection alerts, Duration timeout) {
        ChannelHttp http = new ChannelHttp(timeout);
        List<Notifier> notifiers = new ArrayList<>();
        for (String name : alerts.order()) {
            notifiers.add(switch (name) {
                case "twilio" -> twilio(alerts, timeout);
                case "email" -> email(alerts, timeout);
                case "telegram" -> new TelegramBot(alerts.telegram(), SecretFile.read("alerts.telegram.botTokenFile", alerts.telegram().botTokenFile()), http);
                case "webhook" -> new Webhook(alerts.webhook(), alerts.webhook().tokenFile() == null ? null
                        : SecretFile.read("alerts.webhook.tokenFile", alerts.webhook().tokenFile()), http);
                default -> throw new IllegalStateException("AlertsSection admits no channel " + name);
            });
        }
        return List.copyOf(notifiers);
    }

    /** The token read now (a problem with its file stops the start); the SDK loaded and its client made at the first SMS. */
    private static Notifier twilio(AlertsSection alerts, Duration timeout) {
        String token = SecretFile.read("alerts.twilio.authTokenFile", alerts.twilio().authTokenFile());
        return new MadeOnFirstSend("twilio", () -> {
            OnDemandJars.need(OnDemandJars.Library.TWILIO); // before TwilioSms links against the SDK
            return new TwilioSms(alerts.twilio(), token, timeout);
        });
    }

    /** The password read now; Jakarta Mail's session made at the first mail. */
    private static Notifier email(AlertsSection alerts, Duration timeout) {
        String password = alerts.email().passwordFile() == null ? null : SecretFile.read("alerts.email.passwordFile", alerts.email().passwordFile());
        return new MadeOnFirstSend("email", () -> new EmailSender(alerts.email(), password, timeout));
    }
}
