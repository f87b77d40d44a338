package dev.lifeline.supervisor.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

final class RealTimeScheduler implements Scheduler {
    /** A channel's send is bounded by its own timeout; this is the longest a clean stop waits for one. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(35);

    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;

    RealTimeScheduler(Clock clock, String threadName) {
        this.clock = clock;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        // delayed wake-ups are plans, not obligations: a stop must not wait for the next retry
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void runAt(Instant at, Runnable task) {
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        try {
            executor.schedule(task, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: the work is on disk and is picked up at the next start
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "RealTimeScheduler[" + (executor.isShutdown() ? "closed" : executor.getQueue().size() + " planned") + "]";
    }
}
