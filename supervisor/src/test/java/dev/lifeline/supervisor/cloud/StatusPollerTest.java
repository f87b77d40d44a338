package dev.lifeline.supervisor.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.cloud.BastionStatus.State;
import dev.lifeline.supervisor.testing.SimulatedClock;

/** The shared await loop on a simulated clock: every pause advances it, nothing sleeps for real. */
class StatusPollerTest {
    private final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final StatusPoller poller = new StatusPoller(Duration.ofSeconds(5), clock, clock::advance);

    @Test
    void pollsEveryIntervalUntilTheWantedState() {
        AtomicInteger polls = new AtomicInteger();
        BastionStatus done = poller.await(() -> status(polls.incrementAndGet() < 4 ? State.STARTING : State.RUNNING), State.RUNNING,
                Duration.ofMinutes(5));

        assertThat(done.state()).isEqualTo(State.RUNNING);
        assertThat(polls.get()).isEqualTo(4);
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:15Z"));
    }

    @Test
    void givesUpAtTheTimeoutWithTheLastStateItSaw() {
        AtomicInteger polls = new AtomicInteger();
        BastionStatus last = poller.await(() -> {
            polls.incrementAndGet();
            return status(State.STOPPING);
        }, State.STOPPED, Duration.ofSeconds(12));

        assertThat(last.state()).isEqualTo(State.STOPPING);
        assertThat(polls.get()).as("at 0, 5, 10 s and at the 12 s deadline").isEqualTo(4);
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:12Z"));
    }

    @Test
    void aPermanentFailureEndsTheWaitAtOnceAndATransientOneIsNoAnswerYet() {
        AtomicInteger polls = new AtomicInteger();
        BastionStatus after = poller.await(() -> {
            if (polls.incrementAndGet() == 1) {
                throw new CloudException("throttled", false, null);
            }
            return status(State.RUNNING);
        }, State.RUNNING, Duration.ofMinutes(1));
        assertThat(after.state()).isEqualTo(State.RUNNING);

        assertThatThrownBy(() -> poller.await(() -> {
            throw new CloudException("no such instance", true, null);
        }, State.RUNNING, Duration.ofMinutes(1))).hasMessage("no such instance");
    }

    private static BastionStatus status(State state) {
        return new BastionStatus("i-0123456789abcdef0", state, null, state.name().toLowerCase());
    }
}
