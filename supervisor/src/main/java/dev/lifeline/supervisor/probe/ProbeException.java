package dev.lifeline.supervisor.probe;

/**
 * A probe-side lookup that could not give an answer (no network, an answer in the wrong shape). The message is for
 * the person reading the log or the status page: it names what was asked, of whom, and what came back.
 */
public class ProbeException extends RuntimeException {
    public ProbeException(String message) {
        super(message);
    }

    public ProbeException(String message, Throwable cause) {
        super(message, cause);
    }
}
