package dev.lifeline.supervisor.alert;

/**
 * A channel did not accept an alert. {@code permanent}: retrying the same message will not help (a bad number, a
 * refused credential) — surfaced in status and logs, not retried forever. The message never carries a secret.
 */
public class NotifierException extends RuntimeException {
    private final boolean permanent;

    public NotifierException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
