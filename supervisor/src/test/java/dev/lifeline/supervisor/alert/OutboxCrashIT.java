package dev.lifeline.supervisor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.testing.AlertReceiver;
import dev.lifeline.templates.testing.Await;

/**
 * The outbox survives {@code kill -9}: a child JVM submits alerts and is killed while they are pending; an outbox
 * restarted on the same state directory delivers each exactly once to each channel that had not accepted it.
 */
class OutboxCrashIT {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private AlertReceiver receiver;
    private Process child;

    @BeforeEach
    void start() {
        receiver = new AlertReceiver();
    }

    @AfterEach
    void stop() {
        if (child != null) {
            ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        receiver.close();
    }

    @Test
    void killedWithAlertsPendingEveryAlertReachesEveryChannelExactlyOnceAfterRestart() throws Exception {
        receiver.answer("a", 500);
        receiver.answer("b", 500);
        startChild();
        awaitOutput("SUBMITTED");
        Await.until("each alert tried on both channels", BOUND, () -> receiver.countsById("a").size() == 3
                && receiver.countsById("b").size() == 3);

        killChild();
        assertThat(recordFiles()).as("the records survived the kill").hasSize(3);
        receiver.forgetRequests();
        receiver.answer("a", 200);
        receiver.answer("b", 200);

        try (Outbox restarted = Outbox.open(dir.resolve("state"), OutboxChild.channels(receiver.baseUrl()), OutboxChild.SETTINGS)) {
            Await.until("delivered after restart", BOUND, () -> restarted.status() != null && restarted.status().pending() == 0);
            // nothing pending is nothing left to send: once closed, no duplicate can still come
        }

        Map<String, Long> once = Map.of("crash-1", 1L, "crash-2", 1L, "crash-3", 1L);
        assertThat(receiver.countsById("a")).isEqualTo(once);
        assertThat(receiver.countsById("b")).isEqualTo(once);
        assertThat(recordFiles()).as("delivered records leave the disk").isEmpty();
    }

    @Test
    void killedAfterAAcceptedAndBeforeBDidAIsNotSentThemAgain() throws Exception {
        receiver.answer("a", 200);
        receiver.answer("b", 500);
        startChild();
        awaitOutput("A_ACCEPTED_ALL");

        killChild();
        assertThat(receiver.countsById("a")).isEqualTo(Map.of("crash-1", 1L, "crash-2", 1L, "crash-3", 1L));
        receiver.forgetRequests();
        receiver.answer("b", 200);

        try (Outbox restarted = Outbox.open(dir.resolve("state"), OutboxChild.channels(receiver.baseUrl()), OutboxChild.SETTINGS)) {
            Await.until("delivered to b after restart", BOUND, () -> restarted.status() != null && restarted.status().pending() == 0);
        }

        assertThat(receiver.received("a")).as("a had accepted all three before the kill").isEmpty();
        assertThat(receiver.countsById("b")).isEqualTo(Map.of("crash-1", 1L, "crash-2", 1L, "crash-3", 1L));
    }

    private void startChild() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), OutboxChild.class.getName(),
                dir.resolve("state").toString(), receiver.baseUrl()))
                .redirectOutput(dir.resolve("child.out").toFile()).redirectError(dir.resolve("child.err").toFile()).start();
    }

    private void awaitOutput(String line) {
        Await.until("child printed " + line, BOUND, () -> {
            if (!child.isAlive()) {
                throw new AssertionError("child exited " + child.exitValue() + ": " + read("child.err"));
            }
            return read("child.out").lines().anyMatch(line::equals);
        });
    }

    private void killChild() throws InterruptedException {
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close()
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("child died").isTrue();
        assertThat(child.exitValue()).as("killed by signal 9").isEqualTo(128 + 9);
    }

    private List<Path> recordFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("state").resolve("outbox"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).toList();
        }
    }

    private String read(String file) {
        try {
            return Files.exists(dir.resolve(file)) ? Files.readString(dir.resolve(file)) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
