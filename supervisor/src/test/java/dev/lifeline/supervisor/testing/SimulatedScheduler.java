package dev.lifeline.supervisor.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

import dev.lifeline.supervisor.alert.Scheduler;

/**
 * Runs tasks on the test's thread, in the order of their due times, moving a {@link SimulatedClock} to each: a day of
 * retries and rate-limit waits takes milliseconds and is deterministic.
 */
public final class SimulatedScheduler implements Scheduler {
    /** A runaway plan (a task that keeps re-planning itself at once) fails the test instead of hanging it. */
    static final int MAX_TASKS_PER_RUN = 1_000_000;

    private record Planned(Instant at, long seq, Runnable task) {
    }

    private final SimulatedClock clock;
    private final PriorityQueue<Planned> queue = new PriorityQueue<>(Comparator.comparing(Planned::at).thenComparingLong(Planned::seq));
    private long seq;

    public SimulatedScheduler(SimulatedClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void runAt(Instant at, Runnable task) {
        queue.add(new Planned(at, seq++, task));
    }

    /** Runs everything due within {@code d} from now, then leaves the clock at now + d. */
    public void runFor(Duration d) {
        Instant end = clock.instant().plus(d);
        for (int i = 0; ; i++) {
            if (i >= MAX_TASKS_PER_RUN) {
                throw new AssertionError("more than " + MAX_TASKS_PER_RUN + " tasks in " + d + ": a task re-plans itself forever");
            }
            Planned next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at().isAfter(end)) {
                    break;
                }
                queue.poll();
            }
            clock.advanceTo(next.at());
            next.task().run();
        }
        clock.advanceTo(end);
    }

    public synchronized int planned() {
        return queue.size();
    }
}
