package dev.lifeline.supervisor.alert;

/**
 * One channel (Twilio SMS, email, Telegram, webhook). {@link #send} blocks for at most the channel's timeout and
 * either returns what the channel answered or throws {@link NotifierException}; never logs or throws a secret.
 */
public interface Notifier {
    /** The configured channel name, e.g. {@code twilio}. */
    String name();

    /** @return the channel's receipt, e.g. Twilio's message SID, an SMTP message id, Telegram's message_id */
    Delivery send(Alert alert);
}
