package dev.lifeline.supervisor.heartbeat;

import java.time.Duration;
import java.time.Instant;

/**
 * What the heartbeat has done, for the status page and the metrics. The URL is not here, only its host.
 *
 * @param host          the ping URL's host (the rest of the URL is the check's credential)
 * @param format        {@code healthchecks} or {@code uptime-kuma}
 * @param lastPingAt    when the last ping was sent, delivered or not; null before the first
 * @param lastSignal    {@code up} or {@code fail}: what the last ping said; null before the first
 * @param lastResult    {@code delivered} (the service answered 2xx) or {@code failed}; null before the first
 * @param lastError     why the last ping failed (an HTTP status, an I/O error without the URL); null when delivered
 * @param lastSuccessAt when a ping was last delivered (either signal); null before the first
 * @param failures      pings not delivered since the start
 * @param trouble       what the fail signal was about; null while all is well
 */
public record HeartbeatState(String host, String format, Duration every, Instant lastPingAt, String lastSignal, String lastResult,
                             String lastError, Instant lastSuccessAt, long failures, String trouble) {
}
