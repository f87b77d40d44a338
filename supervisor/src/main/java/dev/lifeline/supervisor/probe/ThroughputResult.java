package dev.lifeline.supervisor.probe;

import java.time.Duration;

/**
 * What one throughput check found.
 *
 * @param url           the URL the verdict came from; the last one tried when none worked
 * @param bytes         every byte downloaded, over all URLs tried: what the data budget is charged
 * @param elapsed       the whole check, connection set-up included
 * @param bitsPerSecond the rate the verdict rests on (0 when nothing was measured)
 * @param verdict       ABOVE or BELOW the threshold, or INCONCLUSIVE when no URL gave enough data
 * @param detail        why, for the log and the status page; never null
 */
public record ThroughputResult(String url, long bytes, Duration elapsed, long bitsPerSecond, Verdict verdict, String detail) {
    public enum Verdict { ABOVE, BELOW, INCONCLUSIVE }

    public ThroughputResult {
        if (url == null || elapsed == null || verdict == null || detail == null) {
            throw new IllegalArgumentException("url, elapsed, verdict and detail are required");
        }
        if (bytes < 0 || bitsPerSecond < 0) {
            throw new IllegalArgumentException("bytes and bitsPerSecond must be ≥ 0 (got " + bytes + ", " + bitsPerSecond + ")");
        }
    }
}
