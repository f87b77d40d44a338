package dev.lifeline.templates.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** Starting and stopping the real processes tests run: every wait bounded, every stop by the process's PID. */
public final class Daemons {
    private Daemons() {
    }

    /** Waits until 127.0.0.1:port accepts; fails with the daemon's log if it dies or the bound passes. */
    public static void awaitListening(Process process, int port, Duration bound, Path log) {
        awaitListening(process, "127.0.0.1", port, bound, log);
    }

    /** Waits until host:port accepts (a daemon in a test's network namespace, reached over its link). */
    public static void awaitListening(Process process, String host, int port, Duration bound, Path log) {
        Instant until = Instant.now().plus(bound);
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.info().command().orElse("process") + " exited with "
                        + process.exitValue() + ":\n" + read(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 200);
                return;
            } catch (IOException notYet) {
                pause(50);
            }
        }
        stop(process);
        throw new IllegalStateException("nothing listened on " + host + ":" + port + " within " + bound + ":\n" + read(log));
    }

    /** SIGTERM, then SIGKILL if it is still there after 5 s. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(" + log + " unreadable: " + e + ")";
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
