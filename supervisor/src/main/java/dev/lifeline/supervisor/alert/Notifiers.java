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
                case "email" -> new EmailSender(alerts.email(), alerts.email().passwordFile() == null ? null
                        : SecretFile.read("alerts.email.passwordFile", alerts.email().passwordFile()), timeout);
                case "telegram" -> new TelegramBot(alerts.telegram(), SecretFile.read("alerts.telegram.botTokenFile", alerts.telegram().botTokenFile()), http);
                case "webhook" -> new Webhook(alerts.webhook(), alerts.webhook().tokenFile() == null ? null
                        : SecretFile.read("alerts.webhook.tokenFile", alerts.webhook().tokenFile()), http);
                default -> throw new IllegalStateException("AlertsSection admits no channel " + name);
            });
        }
        return List.copyOf(notifiers);
    }

    /** Its SDK put on the class path first: a home without SMS never loads it. */
    private static Notifier twilio(AlertsSection alerts, Duration timeout) {
        OnDemandJars.need(OnDemandJars.Library.TWILIO);
        return new TwilioSms(alerts.twilio(), SecretFile.read("alerts.twilio.authTokenFile", alerts.twilio().authTokenFile()), timeout);
    }
}
