package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine;

import dev.lifeline.templates.testing.TestKeys;

class RenderCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int lifeline(String... args) {
        return new CommandLine(new Lifeline()).setExitCodeExceptionMapper(e -> Lifeline.BAD_INPUT)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private static Path exampleStack(String name) {
        // tests run in supervisor/; the examples live at the repository root
        return Path.of("..", "stacks", name).toAbsolutePath().normalize();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Pulumi.aws-example.yaml", "Pulumi.do-example.yaml"})
    void theExampleStacksRenderEveryBastionFile(String stack) throws Exception {
        int code = lifeline("render", "--stack", exampleStack(stack).toString(), "--out", tmp.toString());

        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(Files.readString(tmp.resolve("etc/ssh/sshd_config"))).contains("Port 47022")
                .contains("AllowUsers admin tunnel1 tunnel2").contains("PermitListen 127.0.0.1:29000");
        assertThat(Files.readString(tmp.resolve("etc/ssh/authorized_keys/tunnel2")))
                .contains("restrict,port-forwarding,permitlisten=\"127.0.0.1:39000\"");
        assertThat(Files.readString(tmp.resolve("etc/nginx/nginx.conf"))).contains("server 127.0.0.1:39000 backup;");
        assertThat(Files.readString(tmp.resolve("user-data.yaml"))).startsWith("#cloud-config\n").contains("write_files:");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("user-data.yaml")))).isEqualTo("rw-------");
        assertThat(Files.readString(tmp.resolve("etc/lifeline/login-alert.env")))
                .as("an encrypted secret renders as a placeholder, never as its ciphertext")
                .contains("PLACEHOLDER-twilioAuthToken").doesNotContain("v1:placeholder");
        assertThat(out.toString()).contains("/etc/ssh/sshd_config");
    }

    @Test
    void aBrokenStackFailsWithEveryKeyNamedAndWritesNothing() throws Exception {
        Path stack = tmp.resolve("Pulumi.broken.yaml");
        Files.writeString(stack, Files.readString(exampleStack("Pulumi.aws-example.yaml"))
                .replace("lifeline:sshPort: \"47022\"", "lifeline:sshPort: \"22\"")
                .replace("port: 39000", "port: 29000")
                .replace("lifeline:region: eu-central-1", "lifeline:regoin: eu-central-1"));
        Path outDir = tmp.resolve("out");

        int code = lifeline("render", "--stack", stack.toString(), "--out", outDir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("lifeline:sshPort must not be 22")
                .contains("lifeline:tunnels[1].port 29000 is already tunnel1's port")
                .contains("lifeline:regoin is not a lifeline setting");
        assertThat(outDir).doesNotExist();
    }

    @Test
    void aDecryptedSecretRendersTheUserDataThatPulumiUpPasses() throws Exception {
        TestKeys host = TestKeys.ed25519("lifeline-bastion");
        Path key = tmp.resolve("bastion_host_key");
        Files.writeString(key, host.privatePem());
        Path out = tmp.resolve("o");

        int code = lifeline("render", "--stack", exampleStack("Pulumi.aws-example.yaml").toString(), "--out", out.toString(),
                "--secret", "hostKey=" + key);

        assertThat(code).as("stderr: %s", err).isZero();
        String userData = Files.readString(out.resolve("user-data.yaml"));
        assertThat(userData).contains(host.privatePem().strip().lines().skip(1).findFirst().orElseThrow())
                .doesNotContain("PLACEHOLDER-hostKey");
        assertThat(Files.readString(out.resolve("known_hosts"))).contains(host.publicLine().split(" ")[1]);
        try (var gz = new GZIPInputStream(Files.newInputStream(out.resolve("user-data.ec2.gz")))) {
            assertThat(new String(gz.readAllBytes(), StandardCharsets.UTF_8))
                    .as("EC2's form is the same user-data, gzipped").isEqualTo(userData);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("user-data.ec2.gz")))).isEqualTo("rw-------");
    }

    @Test
    void aSecretForAKeyThatIsNotEncryptedIsBadInputNamingTheKey() throws Exception {
        Path file = tmp.resolve("value");
        Files.writeString(file, "47022");
        int code = lifeline("render", "--stack", exampleStack("Pulumi.aws-example.yaml").toString(), "--out",
                tmp.resolve("o").toString(), "--secret", "sshPort=" + file);
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("lifeline:sshPort is not an encrypted secret");
        assertThat(tmp.resolve("o")).doesNotExist();
    }

    @Test
    void aMissingSecretFileIsBadInput() {
        int code = lifeline("render", "--stack", exampleStack("Pulumi.aws-example.yaml").toString(), "--out",
                tmp.resolve("o").toString(), "--secret", "hostKey=" + tmp.resolve("nope"));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--secret").contains("nope").contains("does not exist");
    }

    @Test
    void aMissingStackFileIsBadInput() {
        int code = lifeline("render", "--stack", tmp.resolve("nope.yaml").toString(), "--out", tmp.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("does not exist");
    }

    @Test
    void aStackFileThatIsNotYamlIsBadInput() throws Exception {
        Path stack = tmp.resolve("Pulumi.bad.yaml");
        Files.writeString(stack, "config: [unclosed\n");
        int code = lifeline("render", "--stack", stack.toString(), "--out", tmp.resolve("o").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("cannot be read as YAML");
    }
}
