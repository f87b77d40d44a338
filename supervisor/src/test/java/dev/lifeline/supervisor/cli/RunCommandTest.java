package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.supervisor.testing.TestConfigs;

class RunCommandTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int lifeline(String... args) {
        return new CommandLine(new Lifeline()).setExitCodeExceptionMapper(e -> Lifeline.BAD_INPUT)
                .setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void aGroupReadableKeyStopsTheSupervisorWithAClearErrorBeforeAnyConnection() throws Exception {
        Path key = dir.resolve("tunnel1");
        Files.writeString(key, TestKeys.ed25519("t1").privatePem());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        Path config = dir.resolve("lifeline.yaml");
        Files.writeString(config, """
                bastion: {provider: local, host: 192.0.2.1, port: 47022, hostKey: "%s"}
                tunnels:
                  - {name: primary, user: tunnel1, key: %s, remote: "127.0.0.1:29000", local: "127.0.0.1:80"}
                """.formatted(TestKeys.ed25519("h").publicLine(), key));

        int code = lifeline("run", "--config", config.toString());

        assertThat(code).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(err.toString()).contains("line 3").contains("is readable by others").contains("chmod 600 " + key)
                .doesNotContain("PRIVATE KEY");
    }

    @Test
    void aMissingConfigIsBadInput() {
        int code = lifeline("run", "--config", dir.resolve("nope.yaml").toString());

        assertThat(code).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(err.toString()).contains("nope.yaml: cannot be read");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "unknown mode            | mode: sometimes                       | bastion.mode: mode must be on-outage or always-on",
        "aws without instance id | provider: aws, aws: {region: eu-central-1} | bastion.aws.instanceId: instanceId must be",
        "negative duration       | mode: on-outage, provider: local      | links.primary.interval: '-5s' is not a duration"})
    void badOutageSettingsAreBadInputWithTheKeyNamed(String name, String bastionExtra, String message) throws Exception {
        Path key = dir.resolve("tunnel1");
        TestConfigs.privateKey(key, "t1");
        String extra = bastionExtra.trim();
        String provider = extra.contains("provider:") ? "" : "provider: local, ";
        Path config = dir.resolve("lifeline.yaml");
        Files.writeString(config, """
                bastion: {%shost: 192.0.2.1, port: 47022, hostKey: "%s", %s}
                tunnels:
                  - {name: primary, user: tunnel1, key: %s, remote: "127.0.0.1:29000", local: "127.0.0.1:80"}
                links:
                  primary: {probes: ["tcp://127.0.0.1:9"], interval: %s}
                """.formatted(provider, TestKeys.ed25519("h").publicLine(), extra, key, name.startsWith("negative") ? "-5s" : "5s"));

        int code = lifeline("run", "--config", config.toString());

        assertThat(code).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(err.toString()).contains(message).contains(config.toString());
    }
}
