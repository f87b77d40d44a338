package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delaysDoubleFromTheFirstStepUpToTheCapWithTwentyPercentJitter() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(1));
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(backoff.next().toMillis());
        }

        long[] nominal = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
        for (int i = 0; i < nominal.length; i++) {
            assertThat(delays.get(i)).as("step %d of %s", i, delays)
                    .isBetween(Math.round(nominal[i] * 0.8), Math.min(30000, Math.round(nominal[i] * 1.2)));
        }
    }

    @Test
    void jitterIsExactlyPlusOrMinusTwentyPercentOfTheStepAndNeverPassesTheCap() {
        // the random draws at their extremes and middle: 0 is -20 %, 0.5 the nominal step, just under 1 is +20 %
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), draws(0.0, 0.5, 0.999_999, 0.0, 0.999_999, 0.0, 0.999_999));

        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            delays.add(backoff.next().toMillis());
        }

        assertThat(delays).containsExactly(800L, 2000L, 4800L, 6400L, 19200L, 24000L, 30000L);
    }

    @Test
    void twoTunnelsThatFailTogetherRetryAtDifferentTimes() {
        Backoff a = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), draws(0.1));
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), draws(0.9));

        assertThat(a.next()).isEqualTo(Duration.ofMillis(840));
        assertThat(b.next()).isEqualTo(Duration.ofMillis(1160));
    }

    /** A random source that returns exactly these doubles, in turn (the last one repeats). */
    private static java.util.random.RandomGenerator draws(double... values) {
        return new java.util.random.RandomGenerator() {
            private int next;

            @Override
            public double nextDouble() {
                return values[Math.min(next++, values.length - 1)];
            }

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("Backoff draws doubles only");
            }
        };
    }

    @Test
    void resetStartsOverFromTheFirstStep() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(3));
        for (int i = 0; i < 6; i++) {
            backoff.next();
        }
        backoff.reset();

        assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofMillis(1200));
        assertThat(backoff.failures()).isEqualTo(1);
    }
}
