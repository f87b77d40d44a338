package dev.lifeline.supervisor.tunnel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

import org.apache.sshd.common.SshException;

/**
 * Why a tunnel is down, decided in one place: a wrong host key or a refused key is not retried blindly
 * (an event for the admin, then slow retries), a network failure backs off and retries.
 */
public enum FailureKind {
    /** The bastion presented another host key than the pinned one: maybe an attack. */
    HOST_KEY_MISMATCH(true),
    /** The bastion refused our key: the stack and the supervisor disagree. */
    AUTH_REFUSED(true),
    /** The bastion refused to listen on our port: usually a stale listener of a dead session. */
    FORWARD_REFUSED(false),
    /** No answer, refused, reset, timed out. */
    NETWORK(false),
    /** Keepalives went unanswered: the path died silently. */
    KEEPALIVE_LOST(false),
    /** The bastion closed a working session (sshd restarted, child killed). */
    CLOSED(false);

    private final boolean needsAdmin;

    FailureKind(boolean needsAdmin) {
        this.needsAdmin = needsAdmin;
    }

    /** Retrying cannot fix it: wait the longest backoff step and tell someone. */
    public boolean needsAdmin() {
        return needsAdmin;
    }

    static FailureKind classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TunnelException te) {
                return te.kind();
            }
            if (c instanceof ConnectException || c instanceof NoRouteToHostException || c instanceof UnknownHostException) {
                return NETWORK;
            }
            String m = c.getMessage() == null ? "" : c.getMessage();
            if (c instanceof SshException && m.contains("Server key did not validate")) {
                return HOST_KEY_MISMATCH;
            }
            if (c instanceof SshException && (m.contains("No more authentication methods") || m.contains("authentication"))) {
                return AUTH_REFUSED;
            }
        }
        return t instanceof IOException ? NETWORK : CLOSED;
    }
}
