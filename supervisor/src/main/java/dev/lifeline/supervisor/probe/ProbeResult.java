package dev.lifeline.supervisor.probe;

import java.time.Duration;

/**
 * What one probe saw.
 *
 * @param target what was probed, as configured ({@code dns://198.18.1.1/example.com}); never a secret
 * @param ok     the probe got the answer it needs (a DNS answer, a connected socket, an expected HTTP status)
 * @param rtt    round-trip time when ok; the time spent when not
 * @param detail why it failed ("timeout after 1s", "SERVFAIL", "HTTP 503"), or a short fact when ok; never null
 */
public record ProbeResult(String target, boolean ok, Duration rtt, String detail) {
    public ProbeResult {
        if (target == null || rtt == null || detail == null) {
            throw new IllegalArgumentException("target, rtt and detail are required");
        }
    }

    public static ProbeResult ok(String target, Duration rtt, String detail) {
        return new ProbeResult(target, true, rtt, detail);
    }

    public static ProbeResult failed(String target, Duration spent, String why) {
        return new ProbeResult(target, false, spent, why);
    }
}
