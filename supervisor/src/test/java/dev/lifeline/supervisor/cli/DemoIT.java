package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.testing.SupervisorProcess;

/** `lifeline demo`, the README's run command, as a person runs it: the packaged jar with the launcher's JVM flags. */
class DemoIT {
    @TempDir
    Path dir;

    @Test
    void theDemoTellsTheWholeOutageStoryAndExitsZero() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(SupervisorProcess.JVM_FLAGS);
        command.addAll(List.of("-jar", Path.of("target", "lifeline.jar").toAbsolutePath().toString(), "demo"));
        Path out = dir.resolve("demo.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the demo ends within 2 minutes").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String timeline = Files.readString(out);

        assertThat(p.exitValue()).as(timeline).isZero();
        assertThat(timeline).containsSubsequence("cutting the primary line", "outage started: primary line DOWN",
                "bastion started", "tunnel primary up through the bastion", "gets: hello from home — visitor 1",
                "the primary line is back", "bastion stopped", "outage ended", "done: the home page was reachable");
    }
}
