package dev.lifeline.supervisor.probe;

import java.util.ArrayDeque;
import java.util.Deque;

import dev.lifeline.supervisor.probe.ThroughputResult.Verdict;

/**
 * Decides from (time, bytes so far) samples whether a download is above or below a threshold, as early as the data
 * allows. Pure arithmetic on the times it is given, so it is tested without a clock or a network.
 *
 * <p>ABOVE needs the rate over a sliding window, and over each third of it, to be at least the threshold times
 * {@link #MARGIN}: the thirds keep a shaper's initial burst (token buckets often let a few MB through at full speed)
 * from passing as a fast line. BELOW needs {@link #BELOW_AFTER_NANOS} of data averaging under threshold / MARGIN.
 */
final class RateJudge {
    /** TCP slow start makes the first ~RTTs slow; whichever of these comes first ends the part we ignore. */
    static final long WARMUP_BYTES = 128 * 1024;
    static final long WARMUP_NANOS = 200_000_000L;
    /** Long enough to smooth scheduling and ACK jitter; short, because on a fast line every ms costs ~12 KB. */
    static final long WINDOW_NANOS = 300_000_000L;
    static final double MARGIN = 1.2;
    static final long BELOW_AFTER_NANOS = 3_000_000_000L;

    private final long threshold;
    private final Deque<long[]> window = new ArrayDeque<>();
    private long[] warm;
    private long[] last = {0, 0};
    private long rate;
    private String reason = "";

    RateJudge(long thresholdBitsPerSecond) {
        if (thresholdBitsPerSecond <= 0) {
            throw new IllegalArgumentException("threshold must be > 0 bit/s (got " + thresholdBitsPerSecond + ")");
        }
        this.threshold = thresholdBitsPerSecond;
    }

    /** Records that {@code bytes} have arrived by {@code nanos} after the first byte; a verdict once it is proven. */
    Verdict observe(long nanos, long bytes) {
        last = new long[] {nanos, bytes};
        if (warm == null) {
            if (nanos < WARMUP_NANOS && bytes < WARMUP_BYTES) {
                return null;
            }
            warm = last;
            window.add(last);
            return null;
        }
        window.add(last);
        // keep exactly one sample at or before the window's start
        while (window.size() > 1) {
            long[] first = window.removeFirst();
            if (window.peekFirst()[0] > nanos - WINDOW_NANOS) {
                window.addFirst(first);
                break;
            }
        }
        long[] start = window.peekFirst();
        if (nanos - start[0] >= WINDOW_NANOS && aboveInEveryThird(start, last)) {
            rate = rate(start, last);
            reason = String.format("%s over the last %d ms (each third ≥ %.1f× the threshold)", human(rate),
                    (nanos - start[0]) / 1_000_000, MARGIN);
            return Verdict.ABOVE;
        }
        if (nanos - warm[0] >= BELOW_AFTER_NANOS && rate(warm, last) * MARGIN < threshold) {
            rate = rate(warm, last);
            reason = String.format("%s averaged over %d ms", human(rate), (nanos - warm[0]) / 1_000_000);
            return Verdict.BELOW;
        }
        return null;
    }

    /**
     * The download stopped before a proof (a cap, or the file ended). With at least a window of data past the
     * warm-up the average decides, without margin; with less there is nothing honest to say.
     */
    Verdict stopped(boolean timeCap) {
        if (warm != null && last[0] - warm[0] >= WINDOW_NANOS) {
            rate = rate(warm, last);
            reason = String.format("%s averaged over %d ms, without margin", human(rate), (last[0] - warm[0]) / 1_000_000);
            return rate >= threshold ? Verdict.ABOVE : Verdict.BELOW;
        }
        rate = warm == null || last[0] == warm[0] ? 0 : rate(warm, last);
        if (timeCap) {
            // a line that cannot even get through its warm-up in the allotted time is slow, not unknown
            reason = "only " + last[1] + " bytes arrived";
            return Verdict.BELOW;
        }
        reason = "only " + last[1] + " bytes in " + last[0] / 1_000_000 + " ms: too little to judge";
        return Verdict.INCONCLUSIVE;
    }

    long bitsPerSecond() {
        return rate;
    }

    String reason() {
        return reason;
    }

    private boolean aboveInEveryThird(long[] start, long[] end) {
        long span = end[0] - start[0];
        long[] a = start;
        for (int i = 1; i <= 3; i++) {
            long[] b = i == 3 ? end : at(start[0] + span * i / 3);
            if (b[0] <= a[0] || rate(a, b) < threshold * MARGIN) {
                return false;
            }
            a = b;
        }
        return true;
    }

    /** The latest sample at or before {@code nanos}: bytes arrive in steps, so that is what had arrived then. */
    private long[] at(long nanos) {
        long[] best = window.peekFirst();
        for (long[] s : window) {
            if (s[0] > nanos) {
                break;
            }
            best = s;
        }
        return best;
    }

    private static long rate(long[] from, long[] to) {
        long nanos = to[0] - from[0];
        return nanos <= 0 ? 0 : (long) ((to[1] - from[1]) * 8.0 * 1e9 / nanos);
    }

    static String human(long bitsPerSecond) {
        return String.format("%.1f Mbit/s", bitsPerSecond / 1e6);
    }
}
