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
 * @param problems      {@code wrong ISP}, {@code low speed}, {@code high latency}, … — empty when healthy
 * @param notes         what could not be measured and why
 */
public record BackupHealth(Instant at, String isp, Long bitsPerSecond, long bytesUsed, Duration latency,
                           List<String> problems, List<String> notes) {

    public boolean healthy() {
        return problems.isEmpty();
    }

    /** The original monitoring script's line: {@code ISP <name> SPEED <bit/s> LATENCY <ms>}. */
    public String facts() {
        return "ISP " + (isp == null ? "unknown" : isp) + " SPEED " + (bitsPerSecond == null ? "unknown" : bitsPerSecond)
                + " LATENCY " + (latency == null ? "unknown" : latency.toMillis());
    }
}
