package dev.lifeline.supervisor.tunnel;

import java.time.Instant;

/**
 * One tunnel as the rest of the supervisor sees it.
 *
 * @param reconnects sessions opened after the first one
 * @param bytesIn    SSH payload bytes received over this tunnel's sessions, all sessions counted
 * @param bytesOut   SSH payload bytes sent
 * @param nextTry    while DOWN and waiting out the backoff: when the worker tries again; null while it is trying (or
 *                   not DOWN). Told on the status page, so "down" comes with "until when, at the earliest".
 */
public record TunnelState(String name, Status status, Instant since, String lastError, FailureKind lastFailure,
                          long reconnects, long bytesIn, long bytesOut, Instant nextTry) {

    public enum Status { CONNECTING, UP, DOWN, STOPPED }

    public static TunnelState initial(String name, Instant now) {
        return new TunnelState(name, Status.CONNECTING, now, null, null, 0, 0, 0, null);
    }

    /** The same state, its wait over: the worker is trying again now. */
    TunnelState trying() {
        return new TunnelState(name, status, since, lastError, lastFailure, reconnects, bytesIn, bytesOut, null);
    }

    public boolean isUp() {
        return status == Status.UP;
    }

    /** One log line per transition, as the supervisor logs it. */
    public String describe() {
        return "tunnel " + name + " " + status + (lastError == null || status == Status.UP ? "" : " (" + lastFailure + ": " + lastError + ")")
                + ", reconnects " + reconnects + ", bytes in/out " + bytesIn + "/" + bytesOut;
    }
}
