package dev.lifeline.supervisor.alert;

import java.time.Clock;
import java.time.Instant;

/**
 * When the outbox's work runs. The daemon uses {@link #realTime}; tests use a simulated one that runs tasks in
 * the order of their due times while moving a simulated clock, so a day of retries takes milliseconds.
 * Tasks run one at a time, which is what lets the outbox keep its in-memory state without locks.
 */
public interface Scheduler extends AutoCloseable {
    /** Runs {@code task} once, at {@code at} by the scheduler's clock or as soon as possible after. */
    void runAt(Instant at, Runnable task);

    @Override
    default void close() {
    }

    /** One daemon thread named {@code threadName}; {@link #close()} waits a bounded time for the task running. */
    static Scheduler realTime(Clock clock, String threadName) {
        return new RealTimeScheduler(clock, threadName);
    }
}
