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
    void jitterSpreadsTunnelsThatFailTogether() {
        Backoff a = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(1));
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(2));

        List<Duration> first = List.of(a.next(), a.next(), a.next());
        List<Duration> second = List.of(b.next(), b.next(), b.next());

        assertThat(first).isNotEqualTo(second);
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
