package dev.lifeline.supervisor.tunnel;

/**
 * The seam through which tunnel events leave this package (alerts arrive in a later issue).
 * Called from the tunnel's own thread; implementations must not block.
 */
public interface TunnelListener {
    TunnelListener NONE = new TunnelListener() { };

    /** Every state change: up, down (with why), stopped. */
    default void stateChanged(TunnelState state) {
    }

    /** The bastion presented another host key than the pinned one. Both fingerprints, never key material. */
    default void hostKeyMismatch(String tunnel, String expectedFingerprint, String presentedFingerprint) {
    }

    /** The bastion refused the remote bind {@code count} times in a row (a stale listener, or a config mismatch). */
    default void forwardRefused(String tunnel, int count) {
    }

    /** Our key was refused. */
    default void authRefused(String tunnel) {
    }
}
