package dev.lifeline.supervisor.tunnel;

import org.apache.sshd.common.SshException;

/** Ends a session whose path went silent: nothing from the bastion for the dead-after time, a keepalive outstanding. */
final class SilentPathException extends SshException {
    private static final long serialVersionUID = 1L;

    SilentPathException(String message) {
        super(message);
    }
}
