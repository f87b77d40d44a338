package dev.lifeline.supervisor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.probe.ThroughputResult.Verdict;

/** The verdict rules on synthetic arrivals: times are given, nothing sleeps. */
class RateJudgeTest {
    private static final long MBIT = 1_000_000;
    private static final int READ = 16 * 1024;

    /** Feeds 16 KiB reads arriving at a steady {@code bitsPerSecond} until a verdict or {@code capNanos}. */
    private static Outcome steady(long thresholdBps, long bitsPerSecond, long capNanos) {
        RateJudge judge = new RateJudge(thresholdBps);
        long bytes = 0;
        for (int i = 0; i < 1_000_000; i++) {
            bytes += READ;
            long nanos = (long) (bytes * 8 * 1e9 / bitsPerSecond);
            if (nanos > capNanos) {
                return new Outcome(judge.stopped(true), bytes, nanos, judge.bitsPerSecond());
            }
            Verdict v = judge.observe(nanos, bytes);
            if (v != null) {
                return new Outcome(v, bytes, nanos, judge.bitsPerSecond());
            }
        }
        throw new AssertionError("no verdict");
    }

    record Outcome(Verdict verdict, long bytes, long nanos, long rate) {
    }

    @Test
    void aHundredMegabitLineIsAboveTenMegabitAfterWarmUpPlusOneWindowAndUnderFiveMegabytes() {
        Outcome o = steady(10 * MBIT, 100 * MBIT, 30_000_000_000L);

        assertThat(o.verdict()).isEqualTo(Verdict.ABOVE);
        assertThat(o.nanos() / 1_000_000).as("128 KiB warm-up (~10 ms) + 300 ms window").isBetween(300L, 330L);
        assertThat(o.bytes()).isBetween(3_700_000L, 4_200_000L);
        assertThat(o.rate()).isBetween(95 * MBIT, 105 * MBIT);
    }

    @Test
    void aFiveMegabitLineIsBelowTenMegabitAfterThreeSecondsOfData() {
        Outcome o = steady(10 * MBIT, 5 * MBIT, 30_000_000_000L);

        assertThat(o.verdict()).isEqualTo(Verdict.BELOW);
        assertThat(o.nanos() / 1_000_000).as("200 ms warm-up + 3 s").isBetween(3_200L, 3_300L);
        assertThat(o.rate()).isBetween(4_900_000L, 5_100_000L);
    }

    @Test
    void aLineJustAboveTheThresholdIsNotProvenUntilTheCapAndThenJudgedWithoutMargin() {
        Outcome o = steady(10 * MBIT, 11 * MBIT, 8_000_000_000L);

        assertThat(o.verdict()).isEqualTo(Verdict.ABOVE);
        assertThat(o.nanos()).as("only the cap ends it").isGreaterThan(8_000_000_000L);
    }

    @Test
    void anInitialBurstFromAShaperDoesNotPassAsAFastLine() {
        RateJudge judge = new RateJudge(10 * MBIT);
        // 2 MB at 1 Gbit/s (a token bucket's burst), then 5 Mbit/s
        long bytes = 0;
        long nanos = 0;
        Verdict v = null;
        for (int i = 0; i < 100_000 && v == null && nanos < 10_000_000_000L; i++) {
            bytes += READ;
            nanos = bytes <= 2_000_000 ? bytes * 8 : 16_000_000 + (long) ((bytes - 2_000_000) * 8 * 1e9 / (5 * MBIT));
            v = judge.observe(nanos, bytes);
        }

        assertThat(v).as("a 300 ms window over the burst would say ABOVE; its thirds do not").isEqualTo(Verdict.BELOW);
    }

    @Test
    void aCapBeforeTheWarmUpEndsIsInconclusiveForBytesAndBelowForTime() {
        RateJudge judge = new RateJudge(10 * MBIT);
        judge.observe(5_000_000, 50_000);

        assertThat(judge.stopped(false)).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(judge.stopped(true)).isEqualTo(Verdict.BELOW);
    }
}
