package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.templates.testing.Tools;

class CompletionCommandTest {
    @TempDir
    Path dir;

    @Test
    void bashSourcesTheScriptAndCompletesLifelineWithEverySubcommand() throws Exception {
        CliRun run = CliRun.of("completion");
        assertThat(run.exitCode()).as("%s", run).isZero();
        Path script = dir.resolve("lifeline.bash");
        Files.writeString(script, run.out());

        Tools.Result syntax = Tools.run(10, List.of("bash", "-n", script.toString()));
        Tools.Result sourced = Tools.run(10, List.of("bash", "-c", "source \"$0\" && complete -p lifeline", script.toString()));

        assertThat(syntax.exitCode()).as("%s", syntax).isZero();
        assertThat(sourced.exitCode()).as("%s", sourced).isZero();
        assertThat(sourced.output()).contains("complete").contains("lifeline");
        assertThat(run.out()).contains("check-config").contains("keygen").contains("import").contains("--tunnel");
    }
}
