package dev.lifeline.supervisor.cloud;

/**
 * A cloud call that failed after the retries the failure deserved. The message is for people and names the
 * provider, the call and the fix where one is known; it never carries a token or a key.
 */
public class CloudException extends RuntimeException {
    private final boolean permanent;

    public CloudException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    /** Retrying will not help (bad credentials, unknown instance, no permission): a person must act. */
    public boolean permanent() {
        return permanent;
    }
}
