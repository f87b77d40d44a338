package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.cloud.BastionMode;
import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.templates.testing.TestKeys;

class ImportCommandTest {
    private static final String NEW_HOST_KEY = TestKeys.ed25519("lifeline-bastion").publicLine();

    @TempDir
    Path dir;
    private Path key;

    @BeforeEach
    void writeKey() throws Exception {
        key = dir.resolve("tunnel1");
        TestConfigs.privateKey(key, "t1");
    }

    private static String awsOutputs() {
        return """
                {
                  "adminUser": "admin",
                  "hostKeyPublic": "%2$s",
                  "instanceId": "i-0fedcba9876543210",
                  "knownHostsLine": "[198.51.100.20]:47023 %2$s",
                  "provider": "aws",
                  "publicIp": "198.51.100.20",
                  "region": "us-east-1",
                  "sshPort": %1$s,
                  "tunnelPorts": [29000, 39000]
                }
                """.formatted("47023", NEW_HOST_KEY);
    }

    // AWS's documentation example key pair: the shape IAM answers with
    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    /** Run as root, import gives the key file to the service user: here a system user every Debian has. */
    private static final String SERVICE_USER = ROOT ? "daemon" : System.getProperty("user.name");

    private static String withKey(String outputs, String id, String secret) {
        return outputs.replace("\"adminUser\"", "\"supervisorAccessKeyId\": " + id + ",\n  \"supervisorSecretAccessKey\": "
                + secret + ",\n  \"adminUser\"");
    }

    private static String withKey(String id, String secret) {
        return withKey(awsOutputs(), "\"" + id + "\"", "\"" + secret + "\"");
    }

    private static CliRun importing(String outputs, Path config) {
        return CliRun.withStdin(outputs, "import", "--config", config.toString(), "--service-user", SERVICE_USER);
    }

    /** The shipped example, with its key paths pointing at a real key. */
    private Path example() throws Exception {
        Path f = dir.resolve("lifeline.yaml");
        Files.writeString(f, Files.readString(Path.of("lifeline.example.yaml"))
                .replace("/etc/lifeline/keys/tunnel1", key.toString()).replace("/etc/lifeline/keys/tunnel2", key.toString()));
        return f;
    }

    private static List<String> comments(String text) {
        return text.lines().filter(l -> l.strip().startsWith("#")).toList();
    }

    /** The lines from the first top-level key after bastion: to the end. */
    private static List<String> afterBastion(String text) {
        List<String> lines = text.lines().toList();
        int start = lines.indexOf("bastion:");
        int end = start + 1;
        while (end < lines.size() && (lines.get(end).isEmpty() || lines.get(end).startsWith(" ") || lines.get(end).startsWith("#"))) {
            end++;
        }
        return lines.subList(end, lines.size());
    }

    @Test
    void theExampleTakesTheOutputsAndKeepsEveryCommentAndEveryOtherLine() throws Exception {
        Path f = example();
        String before = Files.readString(f);

        CliRun run = CliRun.withStdin(awsOutputs(), "import", "--config", f.toString());

        assertThat(run.exitCode()).as("%s", run).isZero();
        String after = Files.readString(f);
        assertThat(comments(after)).as("every comment line, in order").isEqualTo(comments(before));
        assertThat(afterBastion(after)).isEqualTo(afterBastion(before));
        assertThat(after.lines().count()).isEqualTo(before.lines().count());
        assertThat(after).contains("  host: 198.51.100.20            # publicIp\n")
                .contains("  port: 47023                   # sshPort\n")
                .contains("    region: us-east-1        # region\n")
                .contains("    instanceId: i-0fedcba9876543210     # instanceId\n");
        SupervisorConfig c = ConfigLoader.load(f);
        assertThat(c.bastion().host()).isEqualTo("198.51.100.20");
        assertThat(c.bastion().port()).isEqualTo(47023);
        assertThat(c.bastion().hostKey().keyText()).isEqualTo(NEW_HOST_KEY.replace(" lifeline-bastion", ""));
        assertThat(c.bastion().aws().region()).isEqualTo("us-east-1");
        assertThat(c.bastion().mode()).as("a key import does not own stays").isEqualTo(BastionMode.ON_OUTAGE);
        assertThat(Files.readString(dir.resolve("lifeline.yaml.bak"))).isEqualTo(before);
    }

    @Test
    void theSecretSpeedUrlBecomesTheBackupChecksBastionSpeedUrlAndIsNeverPrinted() throws Exception {
        Path f = example();
        String url = "https://home.example.com/lifeline/speed/" + "0123456789abcdef".repeat(2);
        String outputs = awsOutputs().replace("\"adminUser\"", "\"speedUrl\": \"" + url + "\",\n  \"adminUser\"");

        CliRun run = CliRun.withStdin(outputs, "import", "--config", f.toString());

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(ConfigLoader.load(f).links().backup().bastionSpeedUrl()).hasToString(url);
        assertThat(run.out() + run.err()).contains("bastionSpeedUrl").doesNotContain("0123456789abcdef");
    }

    @Test
    void aHiddenSpeedUrlSaysHowToGetItAndSetsNothing() throws Exception {
        Path f = example();
        String outputs = awsOutputs().replace("\"adminUser\"", "\"speedUrl\": \"[secret]\",\n  \"adminUser\"");

        CliRun run = CliRun.withStdin(outputs, "import", "--config", f.toString());

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out()).contains("--show-secrets");
        assertThat(ConfigLoader.load(f).links().backup().bastionSpeedUrl()).isNull();
    }

    @Test
    void theStacksKeyBecomesAPrivateCredentialsFileOfTheServiceUserThatTheConfigNamesAndIsNeverPrinted() throws Exception {
        Path f = example();

        CliRun run = importing(withKey(KEY_ID, SECRET), f);

        assertThat(run.exitCode()).as("%s", run).isZero();
        Path key = dir.resolve("aws-credentials");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.getOwner(key).getName()).isEqualTo(SERVICE_USER);
        assertThat(ConfigLoader.load(f).bastion().aws().credentialsFile()).isEqualTo(key);
        assertThat(Files.readString(f)).contains("    credentialsFile: \"" + key + "\"\n");
        // the SDK's own reader finds the key where the service will look
        var credentials = dev.lifeline.supervisor.cloud.AwsCredentialsFile.provider(key).resolveCredentials();
        assertThat(credentials.accessKeyId()).isEqualTo(KEY_ID);
        assertThat(credentials.secretAccessKey()).isEqualTo(SECRET);
        assertThat(run.out()).contains("bastion.aws.credentialsFile " + key, "mode 600, owner " + SERVICE_USER, "not shown");
        assertThat(run.out() + run.err()).doesNotContain(SECRET).doesNotContain(KEY_ID);
        assertThat(CliRun.of("check-config", f.toString()).exitCode()).as("check-config reads the key file").isZero();
    }

    @Test
    void aKeyImportedAgainIsLeftAloneAndANewKeyReplacesItWhereTheConfigKeepsIt() throws Exception {
        Path f = example();
        Path elsewhere = dir.resolve("keys").resolve("aws");
        Files.writeString(f, Files.readString(f).replace("    instanceId: i-0123456789abcdef0     # instanceId\n",
                "    instanceId: i-0123456789abcdef0     # instanceId\n    credentialsFile: " + elsewhere + "\n"));
        // the config names a file already there (made by hand, say)
        Files.createDirectories(elsewhere.getParent());
        TestConfigs.privateFile(elsewhere, "[default]\naws_access_key_id = AKIAOLDOLDOLDOLDOLD1\naws_secret_access_key = old/old/old/old/old\n");
        assertThat(importing(withKey(KEY_ID, SECRET), f).exitCode()).isZero();
        String once = Files.readString(f);

        CliRun again = importing(withKey(KEY_ID, SECRET), f);
        CliRun rotated = importing(withKey("AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"), f);

        assertThat(again.out()).contains("already matches", "already installed; not changed");
        assertThat(rotated.exitCode()).as("%s", rotated).isZero();
        assertThat(rotated.out()).contains("bastion.aws.credentialsFile " + elsewhere + ": the supervisor's AWS key written");
        assertThat(Files.readString(f)).as("the config keeps naming the file it named").isEqualTo(once);
        assertThat(dir.resolve("aws-credentials")).doesNotExist();
        assertThat(dev.lifeline.supervisor.cloud.AwsCredentialsFile.provider(elsewhere).resolveCredentials().accessKeyId())
                .isEqualTo("AKIAI44QH8DHBEXAMPLE");
        assertThat(rotated.out() + rotated.err()).doesNotContain("je7MtGbClwBF");
    }

    @Test
    void outputsWithoutShowSecretsKeepTheInstalledKeyAndSayHowToGetIt() throws Exception {
        Path f = example();
        assertThat(importing(withKey(KEY_ID, SECRET), f).exitCode()).isZero();
        Path key = dir.resolve("aws-credentials");
        String installed = Files.readString(key);

        CliRun hidden = importing(withKey(KEY_ID, "[secret]"), f);

        assertThat(hidden.exitCode()).as("%s", hidden).isZero();
        assertThat(hidden.out()).contains("supervisorSecretAccessKey is a secret", "--show-secrets", "is kept");
        assertThat(Files.readString(key)).isEqualTo(installed);
        assertThat(ConfigLoader.load(f).bastion().aws().credentialsFile()).isEqualTo(key);
    }

    @Test
    void aBrokenKeyIsRefusedNamingTheOutputWithoutShowingItAndNothingIsWritten() throws Exception {
        Path f = example();
        String before = Files.readString(f);
        String injected = "wJalrXUtnFEMI/K7MDENG\\n[other]\\naws_secret_access_key = x";

        CliRun noSecret = importing(withKey(awsOutputs(), "\"" + KEY_ID + "\"", "null"), f);
        CliRun noId = importing(withKey(awsOutputs(), "null", "\"" + SECRET + "\""), f);
        CliRun badId = importing(withKey("not-a-key-id", SECRET), f);
        CliRun twoLines = importing(withKey(KEY_ID, injected), f);

        assertThat(noSecret.exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(noSecret.err()).contains("stack output supervisorSecretAccessKey is missing", "--show-secrets");
        assertThat(noId.err()).contains("stack output supervisorAccessKeyId is missing");
        assertThat(badId.err()).contains("stack output supervisorAccessKeyId must be an AWS access key id");
        assertThat(twoLines.exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(twoLines.err()).contains("stack output supervisorSecretAccessKey must be an AWS secret access key")
                .doesNotContain("wJalrXUtnFEMI").doesNotContain("[other]");
        assertThat(noId.err() + badId.err()).doesNotContain(SECRET);
        assertThat(Files.readString(f)).isEqualTo(before);
        assertThat(dir.resolve("aws-credentials")).doesNotExist();
    }

    @Test
    void aConfigNamingAFileThatIsNoCredentialsFileNeverHasItReplaced() throws Exception {
        Path f = example();
        Path other = TestConfigs.privateFile(dir.resolve("not-credentials"), "root:x:0:0:root:/root:/bin/bash\n");
        Files.writeString(f, Files.readString(f).replace("    instanceId: i-0123456789abcdef0     # instanceId\n",
                "    instanceId: i-0123456789abcdef0     # instanceId\n    credentialsFile: " + other + "\n"));
        String before = Files.readString(f);

        CliRun run = importing(withKey(KEY_ID, SECRET), f);

        assertThat(run.exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(run.err()).contains("bastion.aws.credentialsFile " + other + " exists and is not an AWS credentials file");
        assertThat(Files.readString(other)).isEqualTo("root:x:0:0:root:/root:/bin/bash\n");
        assertThat(Files.readString(f)).isEqualTo(before);
    }

    @Test
    void aKeyOnADigitalOceanStackIsRefused() throws Exception {
        Path f = example();
        String droplet = withKey(KEY_ID, SECRET).replace("\"provider\": \"aws\"", "\"provider\": \"digitalocean\"")
                .replace("i-0fedcba9876543210", "123456789");

        CliRun run = importing(droplet, f);

        assertThat(run.exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(run.err()).contains("supervisorAccessKeyId belongs to an aws stack");
        assertThat(dir.resolve("aws-credentials")).doesNotExist();
    }

    @Test
    void whenTheConfigCannotBeWrittenTheKeyFileIsPutBack() throws Exception {
        Path f = example();
        assertThat(importing(withKey(KEY_ID, SECRET), f).exitCode()).isZero();
        Path key = dir.resolve("aws-credentials");
        String installed = Files.readString(key);
        String configBefore = Files.readString(f);
        Files.delete(dir.resolve("tunnel1")); // the config no longer loads: its tunnels' key is gone

        CliRun run = importing(withKey("AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY")
                .replace("198.51.100.20", "198.51.100.21"), f);

        assertThat(run.exitCode()).as("%s", run).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(run.err()).contains("was not changed");
        assertThat(Files.readString(f)).isEqualTo(configBefore);
        assertThat(Files.readString(key)).as("the key that goes with the config as it is").isEqualTo(installed);
        assertThat(Files.getOwner(key).getName()).isEqualTo(SERVICE_USER);
    }

    @Test
    void runAsRootImportRefusesAServiceUserThatDoesNotExistAndWritesNothing() throws Exception {
        // ci/test.sh runs as root: there this must run; elsewhere a non-root run skips it
        org.junit.jupiter.api.Assumptions.assumeTrue(ROOT || "true".equals(System.getenv("CI")), "only root may give a file to another user");
        Path f = example();
        String before = Files.readString(f);

        CliRun run = CliRun.withStdin(withKey(KEY_ID, SECRET), "import", "--config", f.toString(), "--service-user", "no-such-lifeline-user");

        assertThat(run.exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(run.err()).contains("there is no user no-such-lifeline-user", "--service-user");
        assertThat(Files.readString(f)).isEqualTo(before);
        assertThat(dir.resolve("aws-credentials")).doesNotExist();
    }

    @Test
    void aSecondImportOfTheSameOutputsChangesNothing() throws Exception {
        Path f = example();
        assertThat(CliRun.withStdin(awsOutputs(), "import", "--config", f.toString()).exitCode()).isZero();
        String once = Files.readString(f);

        CliRun again = CliRun.withStdin(awsOutputs(), "import", "--config", f.toString());

        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("already matches");
        assertThat(Files.readString(f)).isEqualTo(once);
    }

    @Test
    void anExistingSectionMissingKeysGetsThemAtItsIndentation() throws Exception {
        Path f = dir.resolve("lifeline.yaml");
        Files.writeString(f, """
                # hand-written
                bastion:
                    provider: local   # was a test bastion
                    host: 10.0.0.1
                    mode: always-on
                    # the host key comes from the stack
                tunnels:
                  - {name: primary, user: tunnel1, key: %s, remote: "127.0.0.1:29000", local: "127.0.0.1:80"}
                """.formatted(key));

        CliRun run = CliRun.withStdin(awsOutputs(), "import", "--config", f.toString());

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(Files.readString(f)).isEqualTo("""
                # hand-written
                bastion:
                    provider: aws   # was a test bastion
                    host: 198.51.100.20
                    mode: always-on
                    port: 47023
                    hostKey: "[198.51.100.20]:47023 %s"
                    aws:
                      region: us-east-1
                      instanceId: i-0fedcba9876543210
                    # the host key comes from the stack
                tunnels:
                  - {name: primary, user: tunnel1, key: %s, remote: "127.0.0.1:29000", local: "127.0.0.1:80"}
                """.formatted(NEW_HOST_KEY, key));
        assertThat(ConfigLoader.load(f).bastion().mode()).isEqualTo(BastionMode.ALWAYS_ON);
    }

    @Test
    void aConfigWithoutABastionSectionGetsOneAtTheEnd() throws Exception {
        Path f = dir.resolve("lifeline.yaml");
        String tunnelsOnly = """
                # tunnels first, the bastion comes from the stack
                tunnels:
                  - name: primary
                    user: tunnel1
                    key: %s
                    remote: 127.0.0.1:29000
                    local: 127.0.0.1:80
                # end
                """.formatted(key);
        Files.writeString(f, tunnelsOnly);

        CliRun run = CliRun.withStdin(awsOutputs(), "import", "--config", f.toString());

        assertThat(run.exitCode()).as("%s", run).isZero();
        String after = Files.readString(f);
        assertThat(after).startsWith(tunnelsOnly).contains("\nbastion:\n  provider: aws\n  host: 198.51.100.20\n  port: 47023\n");
        assertThat(ConfigLoader.load(f).bastion().aws().instanceId()).isEqualTo("i-0fedcba9876543210");
    }

    @Test
    void missingOutputsAreNamedAndTheFileIsUntouched() throws Exception {
        Path f = example();
        String before = Files.readString(f);
        String partial = awsOutputs().replace("\"knownHostsLine\"", "\"knownHostsLineX\"").replace("\"sshPort\"", "\"port\"");

        CliRun run = CliRun.withStdin(partial, "import", "--config", f.toString());

        assertThat(run.exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(run.err()).contains("stack output sshPort, knownHostsLine are missing").contains("pulumi stack output --json");
        assertThat(Files.readString(f)).isEqualTo(before);
        assertThat(dir.resolve("lifeline.yaml.bak")).doesNotExist();
    }

    @Test
    void notJsonIsBadInput() throws Exception {
        Path f = example();

        CliRun run = CliRun.withStdin("Current stack outputs (9):\n    OUTPUT  VALUE\n", "import", "--config", f.toString());

        assertThat(run.exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(run.err()).contains("stdin is not JSON").contains("--json");
    }

    @Test
    void aResultThatWouldNotLoadIsRefusedAndTheFileKept() throws Exception {
        Path f = example();
        String before = Files.readString(f);
        String droplet = awsOutputs().replace("\"provider\": \"aws\"", "\"provider\": \"digitalocean\"")
                .replace("i-0fedcba9876543210", "123456789");

        CliRun run = CliRun.withStdin(droplet, "import", "--config", f.toString());

        assertThat(run.exitCode()).as("%s", run).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(run.err()).contains("(after the import)").contains("tokenFile").contains("was not changed");
        assertThat(Files.readString(f)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no candidate file left behind")
                    .containsExactlyInAnyOrder("tunnel1", "lifeline.yaml");
        }
    }
}
