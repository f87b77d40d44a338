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

class BastionCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int lifeline(String... args) {
        return new CommandLine(new Lifeline()).setExitCodeExceptionMapper(e -> Lifeline.BAD_INPUT)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void aMissingInstanceIdIsBadInputNamingTheKeyAndItsLine() throws Exception {
        Path config = BastionConfigs.write(dir, "aws: {region: eu-central-1}");

        int code = lifeline("bastion", "status", "--config", config.toString());

        assertThat(code).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(err.toString()).contains("line 2").contains("bastion.aws.instanceId").contains("instanceId must be the bastion's EC2 instance id");
    }

    @Test
    void aTokenFileOthersCanReadIsBadInput() throws Exception {
        Path token = dir.resolve("do-token");
        Files.writeString(token, "dop_v1_secret_never_shown\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        Path config = BastionConfigs.write(dir, "provider: digitalocean\n  digitalocean: {dropletId: 42, tokenFile: " + token + "}");

        int code = lifeline("bastion", "start", "--config", config.toString());

        assertThat(code).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(err.toString()).contains("chmod 600 " + token).doesNotContain("dop_v1_secret_never_shown");
    }

    @Test
    void helpDocumentsTheExitCodes() {
        lifeline("bastion", "--help");

        assertThat(out.toString()).contains("Exit codes:").contains("3").contains("a person must act");
    }

    /** A whole supervisor config with the given lines inside {@code bastion:}. */
    static final class BastionConfigs {
        static Path write(Path dir, String bastionLines) throws Exception {
            Path key = dir.resolve("tunnel1");
            TestConfigs.privateKey(key, "t1");
            boolean hasProvider = bastionLines.startsWith("provider:");
            Path config = dir.resolve("lifeline.yaml");
            Files.writeString(config, """
                    bastion:
                      %s
                      %shost: 127.0.0.1
                      port: 47022
                      hostKey: "%s"
                    tunnels:
                      - {name: primary, user: tunnel1, key: %s, remote: "127.0.0.1:29000", local: "127.0.0.1:80"}
                    """.formatted(bastionLines, hasProvider ? "" : "provider: aws\n  ", TestKeys.ed25519("h").publicLine(), key));
            return config;
        }
    }
}
