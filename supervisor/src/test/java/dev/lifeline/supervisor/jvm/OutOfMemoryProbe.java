package dev.lifeline.supervisor.jvm;

import java.util.ArrayList;
import java.util.List;

/** A JVM whose one worker thread runs out of heap while main lives on, as the supervisor's main outlives its I/O loop. */
public final class OutOfMemoryProbe {
    private OutOfMemoryProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread worker = new Thread(() -> {
            List<byte[]> kept = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                kept.add(new byte[1 << 20]);
            }
            System.out.println("never ran out: " + kept.size());
        }, "probe-worker");
        worker.start();
        worker.join();
        System.out.println("worker gone, main alive");
        Thread.sleep(60_000);
    }
}
