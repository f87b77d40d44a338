package dev.lifeline.supervisor.tunnel.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.util.threads.ThreadUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that waits on a selector and runs, in itself, whatever became ready: the read, the SSH decoding or
 * encoding it leads to, and the write that follows, as OpenSSH's one loop does. Nothing is handed to another thread on
 * the way; other threads reach the loop through {@link #execute} (a queued task and a wake-up).
 */
final class EventLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    /** What a channel registered here does when the selector says it is ready. */
    interface Ready {
        void ready(SelectionKey key);
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Touched by the loop's thread only. */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(Comparator.comparingLong(t -> t.due));
    private volatile boolean stopping;

    EventLoop(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the tunnels' I/O", e);
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs the task in the loop: now if this is the loop's thread, else after the current round. */
    void execute(Runnable task) {
        if (inLoop()) {
            task.run();
            return;
        }
        tasks.add(task);
        selector.wakeup();
    }

    /** A task to run in the loop after the delay unless cancelled first; to be called in the loop. */
    Timer schedule(Duration delay, Runnable task) {
        Timer timer = new Timer(System.nanoTime() + delay.toNanos(), task);
        timers.add(timer);
        return timer;
    }

    /** A task waiting for its time; its loop's thread is the only one to touch it. */
    final class Timer {
        private final long due;
        private final Runnable task;

        private Timer(long due, Runnable task) {
            this.due = due;
            this.task = task;
        }

        /** In the loop. Drops the task at once: it may hold a whole connection until it would have been due. */
        void cancel() {
            timers.remove(this);
        }
    }

    /** How many timers wait, asked in the loop (for tests: a cancelled one must not stay behind). */
    int timersWaiting() throws InterruptedException {
        java.util.concurrent.CompletableFuture<Integer> count = new java.util.concurrent.CompletableFuture<>();
        execute(() -> count.complete(timers.size()));
        try {
            return count.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the I/O loop did not answer", e);
        }
    }

    /** After a change of interest made outside the loop: the select under way must see it. */
    void wakeUpUnlessInLoop() {
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    /**
     * The loop runs as one of MINA's "internal" threads, as its NIO2 readers do: during a key exchange MINA queues the
     * channel data written from such a thread instead of blocking the writer until the exchange is over, and blocking
     * here would stop the very reads that finish the exchange (KeyExchangeMessageHandler.isBlockAllowed). The queue
     * stays short: ForwardedChannel reads no more from home while a packet of its is unwritten.
     */
    private void run() {
        try {
            ThreadUtils.runAsInternal(() -> {
                loop();
                return null;
            });
        } catch (Exception e) {
            LOG.error("tunnel I/O loop ended: {}", e.toString(), e);
        }
    }

    private void loop() {
        Queue<Runnable> batch = new ArrayDeque<>();
        while (!stopping) {
            try {
                selector.select(this::dispatch, untilNextTimer());
            } catch (IOException | RuntimeException e) {
                LOG.warn("tunnel I/O loop: {}", e.toString());
            }
            for (Runnable task; (task = tasks.poll()) != null; ) {
                batch.add(task);
            }
            for (Runnable task; (task = batch.poll()) != null; ) {
                runSafely(task);
            }
            runDueTimers();
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the selector: {}", e.toString());
        }
    }

    /** Milliseconds to wait at most (0: no limit). */
    private long untilNextTimer() {
        Timer next = timers.peek();
        if (next == null) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next.due - System.nanoTime()) + 1);
    }

    private void runDueTimers() {
        long now = System.nanoTime();
        for (Timer next; (next = timers.peek()) != null && next.due - now <= 0; ) {
            timers.poll();
            runSafely(next.task);
        }
    }

    /**
     * Whatever one connection's handler throws stays with it: this thread carries every tunnel, and a loop that ended
     * would leave a supervisor that looks alive and forwards nothing. (Out of memory ends the JVM instead, by
     * jvm.options' ExitOnOutOfMemoryError, and systemd starts it again.)
     */
    private void dispatch(SelectionKey key) {
        try {
            ((Ready) key.attachment()).ready(key);
        } catch (CancelledKeyException e) {
            LOG.debug("key cancelled while dispatching: {}", key);
        } catch (Exception | Error e) {
            LOG.error("tunnel I/O loop: a connection's handler failed: {}", e.toString(), e);
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Exception | Error e) {
            LOG.error("tunnel I/O loop: a task failed: {}", e.toString(), e);
        }
    }

    @Override
    public void close() {
        stopping = true;
        selector.wakeup();
        if (!inLoop()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
