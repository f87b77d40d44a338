package dev.lifeline.supervisor.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.testing.JvmOptions;
import dev.lifeline.templates.testing.Await;

/**
 * With the shipped jvm.options a thread that runs out of heap ends the JVM, so systemd starts the supervisor again:
 * one thread carries every tunnel's I/O (tunnel.io), and a JVM that lost it would look alive and forward nothing. Asked
 * of a real JVM with the file's flags, and, as the control, the same flags without ExitOnOutOfMemoryError.
 */
class JvmOptionsExitOnOutOfMemoryTest {
    private static final String FLAG = "-XX:+ExitOnOutOfMemoryError";

    @TempDir
    Path dir;

    @Test
    void aThreadOutOfHeapEndsTheJvmWithTheShippedFlags() throws Exception {
        Path out = dir.resolve("out");
        Process p = probe(JvmOptions.javaArguments(), out);
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the JVM ended").isTrue();
            String output = Files.readString(out);
            assertThat(p.exitValue()).as(output).isNotZero();
            assertThat(output).contains("Terminating due to java.lang.OutOfMemoryError").doesNotContain("main alive");
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    @Test
    void withoutTheFlagTheJvmLivesOnWithoutTheThread() throws Exception {
        List<String> without = JvmOptions.read(JvmOptions.file()).stream().filter(f -> !f.equals(FLAG)).toList();
        assertThat(without).as("the shipped flags have it to take away").hasSizeLessThan(JvmOptions.read(JvmOptions.file()).size());
        Path out = dir.resolve("out");
        Process p = probe(without, out);
        try {
            Await.until("the worker ran out of heap and main went on", Duration.ofSeconds(60),
                    () -> contents(out).contains("worker gone, main alive"));
            assertThat(Files.readString(out)).contains("java.lang.OutOfMemoryError");
            assertThat(p.isAlive()).as("the JVM, without the thread").isTrue();
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    private static String contents(Path out) {
        try {
            return Files.readString(out);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static Process probe(List<String> flags, Path out) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OutOfMemoryProbe.class.getName()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }
}
