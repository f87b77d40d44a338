package dev.lifeline.supervisor.tunnel;

/** A tunnel attempt that failed for a reason we already understood. Its message carries no secret. */
public class TunnelException extends Exception {
    private final FailureKind kind;

    public TunnelException(FailureKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public TunnelException(FailureKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public FailureKind kind() {
        return kind;
    }
}
