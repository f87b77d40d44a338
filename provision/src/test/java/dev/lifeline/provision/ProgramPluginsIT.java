package dev.lifeline.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lifeline.templates.testing.Daemons;

/**
 * Which provider plugins {@code pulumi up} installs before the program runs, asked exactly as Pulumi's Java
 * language host asks for a {@code binary:} jar — {@code java -cp <jar> com.pulumi.bootstrap.internal.Main
 * packages} (pulumi-java, the jar executor's plugin arguments) — of the jar the root Pulumi.yaml names.
 * The host installs every entry with {@code resource: true}; none may be there, or an AWS stack waits on
 * (and fails without) the DigitalOcean plugin and the other way round. The engine installs the one provider
 * a stack uses when its first resource registers, at the version the resource pins.
 */
class ProgramPluginsIT {
    private static final Path JAR = Path.of("target", "lifeline-provision.jar");

    @Test
    void thePackagedProgramDeclaresNoPluginToInstallUpFront() throws Exception {
        assertThat(JAR).as("the shaded jar `mvn package` builds").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Path stdout = Files.createTempFile("plugins-", ".json");
        Path stderr = Files.createTempFile("plugins-", ".err");
        Process discovery = new ProcessBuilder(java, "-cp", JAR.toString(), "com.pulumi.bootstrap.internal.Main", "packages")
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        boolean done;
        try {
            done = discovery.waitFor(120, TimeUnit.SECONDS);
        } finally {
            Daemons.stop(discovery);
        }

        assertThat(done).as("plugin discovery finished within 120 s").isTrue();
        assertThat(discovery.exitValue()).as(Daemons.read(stderr)).isZero();
        // The host reads the JSON from stdout, so the package list is stdout alone.
        List<Map<String, Object>> declared = new ObjectMapper().readValue(Files.readString(stdout).strip(),
                new TypeReference<List<Map<String, Object>>>() { });
        assertThat(declared).as("plugins the language host would install before the program runs")
                .noneMatch(p -> Boolean.TRUE.equals(p.get("resource")));
        // The AWS SDK's version.txt stays: it is where the version its resources pin comes from.
        assertThat(declared).anySatisfy(p -> assertThat(p).containsEntry("name", "aws").containsEntry("resource", false));
        assertThat(Files.size(JAR)).isGreaterThan(1_000_000);
    }
}
