package dev.lifeline.templates.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void returnsOnceTheConditionHoldsAfterAskingAgain() {
        AtomicInteger asked = new AtomicInteger();

        Duration took = Await.until("the third question", Duration.ofSeconds(10), () -> asked.incrementAndGet() >= 3);

        assertThat(asked).hasValue(3);
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void failsNamingWhatItWaitedForOnceTheBoundHasPassed() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> Await.until("a condition that never holds", Duration.ofMillis(300), () -> false))
                .isInstanceOf(AssertionError.class).hasMessageContaining("a condition that never holds").hasMessageContaining("PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("gave up soon after the bound").isBetween(Duration.ofMillis(300), Duration.ofSeconds(10));
    }
}
