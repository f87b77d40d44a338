package dev.lifeline.supervisor.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The history the page draws, clipped to [{@code from}, {@code to}].
 *
 * @param primaryRttMs     median round-trip of the primary probes that answered, per round; null value: none answered
 * @param backupMbps       measured backup download rate per check; null value: not measured
 * @param backupLatencyMs  backup latency per check
 * @param tunnels          per tunnel, its UP / DOWN / CONNECTING stretches in order
 * @param outages          primary outages
 * @param bastionRuns      when the bastion ran
 */
public record HistoryView(Instant from, Instant to, List<Point> primaryRttMs, List<Point> backupMbps, List<Point> backupLatencyMs,
                          Map<String, List<Span>> tunnels, List<Span> outages, List<Span> bastionRuns, CostEstimate cost) {
}
