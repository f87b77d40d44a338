package dev.lifeline.supervisor.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.lifeline.templates.testing.Await;


class OnFirstUseTest {
    @Test
    void nothingIsMadeUntilTheFirstGetAndThenItIsKept() {
        AtomicInteger made = new AtomicInteger();
        OnFirstUse<Object> holder = new OnFirstUse<>(() -> {
            made.incrementAndGet();
            return new Object();
        });

        assertThat(made).hasValue(0);
        Object first = holder.get();

        assertThat(holder.get()).isSameAs(first);
        assertThat(made).hasValue(1);
    }

    /** Threads that ask while the first is still making it wait for that one value rather than make their own. */
    @Test
    void threadsAskingTogetherGetTheOneValueMadeOnce() throws InterruptedException {
        AtomicInteger made = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        OnFirstUse<Object> holder = new OnFirstUse<>(() -> {
            made.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Object();
        });
        List<Object> got = Collections.synchronizedList(new ArrayList<>());
        List<Thread> askers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Thread t = new Thread(() -> got.add(holder.get()), "asker-" + i);
            t.setDaemon(true);
            askers.add(t);
            t.start();
        }
        try {
            Await.until("one asker making the value and the others waiting on it", Duration.ofSeconds(20),
                    () -> made.get() >= 1 && askers.stream().filter(t -> t.getState() == Thread.State.BLOCKED).count() == askers.size() - 1);
        } finally {
            release.countDown();
        }
        for (Thread t : askers) {
            t.join(Duration.ofSeconds(20).toMillis());
        }

        assertThat(made).hasValue(1);
        assertThat(got).hasSize(askers.size()).allSatisfy(v -> assertThat(v).isSameAs(got.get(0)));
    }
}
