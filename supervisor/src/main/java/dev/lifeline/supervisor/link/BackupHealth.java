package dev.lifeline.supervisor.link;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One health check of the backup line.
 *
 * @param isp           the ISP as looked up ("Starlink AS14593"), or null when the lookup failed
 * @param bitsPerSecond measured download rate; null when not measured (budget used up, or every URL failed)
 * @param bytesUsed     what the speed test cost on the metered line
 * @param latency       median round-trip of the latency probes; null when none answered
 * @param problems      {@link #WRONG_ISP}, {@link #LOW_SPEED}, {@link #HIGH_LATENCY}, … — empty when healthy
 * @param notes         what could not be measured and why
 */
public record BackupHealth(Instant at, String isp, Long bitsPerSecond, long bytesUsed, Duration latency,
                           List<String> problems, List<String> notes) {
    public static final String WRONG_ISP = "wrong ISP";
    public static final String ISP_UNKNOWN = "ISP unknown";
    public static final String HIGH_LATENCY = "high latency";
    /** No latency probe (DNS, TCP or HTTP, as configured) answered at all. */
    public static final String NO_ANSWER = "no answer";
    public static final String LOW_SPEED = "low speed";

    /** The check's question a problem answers no to, named as the status page names it: which check failed. */
    public static String checkOf(String problem) {
        return switch (problem) {
            case WRONG_ISP, ISP_UNKNOWN -> "ISP identity";
            case HIGH_LATENCY, NO_ANSWER -> "latency";
            case LOW_SPEED -> "speed";
            default -> "health check";
        };
    }

    public boolean healthy() {
        return problems.isEmpty();
    }

    /** The original monitoring script's line: {@code ISP <name> SPEED <bit/s> LATENCY <ms>}. */
    public String facts() {
        return "ISP " + (isp == null ? "unknown" : isp) + " SPEED " + (bitsPerSecond == null ? "unknown" : bitsPerSecond)
                + " LATENCY " + (latency == null ? "unknown" : latency.toMillis());
    }
}
