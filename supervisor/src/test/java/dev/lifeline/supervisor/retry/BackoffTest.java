package dev.lifeline.supervisor.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Backoff TUNNEL_LIKE = Backoff.startingAt(Duration.ofSeconds(1)).doublingUpTo(Duration.ofSeconds(30)).withJitter(0.2);

    @Test
    void delaysDoubleFromTheFirstStepUpToTheCapWithTwentyPercentJitter() {
        Backoff.Counter backoff = TUNNEL_LIKE.counter(new Random(1));
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
        Backoff.Counter backoff = TUNNEL_LIKE.counter(draws(0.0, 0.5, 0.999_999, 0.0, 0.999_999, 0.0, 0.999_999));

        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            delays.add(backoff.next().toMillis());
        }

        assertThat(delays).containsExactly(800L, 2000L, 4800L, 6400L, 19200L, 24000L, 30000L);
    }

    @Test
    void twoTunnelsThatFailTogetherRetryAtDifferentTimes() {
        Backoff.Counter a = TUNNEL_LIKE.counter(draws(0.1));
        Backoff.Counter b = TUNNEL_LIKE.counter(draws(0.9));

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
        Backoff.Counter backoff = TUNNEL_LIKE.counter(new Random(3));
        for (int i = 0; i < 6; i++) {
            backoff.next();
        }
        backoff.reset();

        assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofMillis(1200));
        assertThat(backoff.failures()).isEqualTo(1);
    }

    @Test
    void withoutJitterTheWaitsAreExactAndNoRandomIsNeeded() {
        Backoff cloud = Backoff.startingAt(Duration.ofSeconds(30)).doublingUpTo(Duration.ofMinutes(10));

        assertThat(List.of(1, 2, 3, 4, 5, 6, 40).stream().map(n -> cloud.afterFailures(n, null).toSeconds()).toList())
                .containsExactly(30L, 60L, 120L, 240L, 480L, 600L, 600L);
    }

    @Test
    void aBackoffThatCannotWorkIsRefusedNamingWhy() {
        assertThatThrownBy(() -> Backoff.startingAt(Duration.ofSeconds(10)).doublingUpTo(Duration.ofSeconds(5)))
                .hasMessageContaining("cap must be at least the first wait");
        assertThatThrownBy(() -> Backoff.startingAt(Duration.ZERO)).hasMessageContaining("first wait must be positive");
        assertThatThrownBy(() -> Backoff.startingAt(Duration.ofSeconds(1)).withJitter(1.0)).hasMessageContaining("jitter");
    }
}
