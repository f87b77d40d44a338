package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import picocli.CommandLine;

import dev.lifeline.templates.stack.StackFileValues;
import dev.lifeline.templates.testing.TestKeys;

class InitCommandTest {
    @TempDir
    Path tmp;
    private Path stacks;
    private Path configDir;
    private Path adminKey;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        stacks = Files.createDirectories(tmp.resolve("stacks"));
        configDir = tmp.resolve("etc");
        adminKey = Files.writeString(tmp.resolve("admin.pub"), TestKeys.ed25519("me").publicLine() + "\n");
    }

    private CliRun init(String... extra) {
        List<String> args = new ArrayList<>(List.of("init", "--non-interactive", "--stack-dir", stacks.toString(), "--config-dir",
                configDir.toString(), "--host-key-dir", tmp.resolve("hk").toString(), "--admin-key", adminKey.toString(),
                // as root the files go to the service user: one every Debian has
                "--service-user", "root".equals(System.getProperty("user.name")) ? "daemon" : "lifeline"));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Lifeline()).setExitCodeExceptionMapper(e -> Lifeline.BAD_INPUT)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        InitCommand command = cl.getSubcommands().get("init").getCommand();
        command.env = env;
        command.console = null;
        int code = cl.execute(args.toArray(String[]::new));
        return new CliRun(code, out.toString(), err.toString());
    }

    private List<Path> written() throws IOException {
        List<Path> all = new ArrayList<>();
        for (Path dir : List.of(stacks, configDir, tmp.resolve("hk"))) {
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.filter(Files::isRegularFile).forEach(all::add);
                }
            }
        }
        return all;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--provider=gcp                                 | --provider gcp: the providers are aws, digitalocean",
        "--region=mars-1                                | --region mars-1: lifeline:region 'mars-1' is not a aws region",
        "--size=T4G NANO                                | --size 'T4G NANO': lifeline:size",
        "--ssh-port=22                                  | --ssh-port 22: lifeline:sshPort must not be 22",
        "--ssh-port=29001                               | --ssh-port 29001: 29001 is a tunnel's port",
        "--tunnels=12                                   | --tunnels 12: give a number from 1 to 9",
        "--admin-user=root                              | --admin-user root: lifeline:adminUser 'root' is not usable",
        "--web=letsencrypt                              | --web-domain is required with --non-interactive",
        "--alerts=pager                                 | --alerts pager: 'pager' is not a channel",
        "--alerts=webhook                               | --webhook-url is required with --non-interactive",
        "--home-service=localhost                       | --home-service localhost: give HOST:PORT",
        "--stack=a/b                                    | --stack a/b: a stack name is"})
    void aBadFlagIsNamedWithItsFixAndNothingIsWritten(String flag, String message) throws IOException {
        CliRun run = init(flag);

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).startsWith("lifeline init: ").contains(message).contains("nothing was written");
        assertThat(written()).isEmpty();
    }

    @Test
    void aMissingAdminKeyFileSaysHowToMakeOne() throws IOException {
        Files.delete(adminKey);
        CliRun run = init();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--admin-key").contains("admin.pub does not exist").contains("ssh-keygen -t ed25519");
        assertThat(written()).isEmpty();
    }

    @Test
    void aSecretComesFromTheEnvironmentNeverFromAFlag() throws IOException {
        CliRun missing = init("--alerts", "twilio", "--twilio-sid", "AC0123456789abcdef0123456789abcdef", "--twilio-from",
                "+14155550100", "--twilio-to", "+14155550111");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("LIFELINE_TWILIO_AUTH_TOKEN is not set");
        assertThat(written()).isEmpty();

        env.put("LIFELINE_TWILIO_AUTH_TOKEN", "not-a-token");
        CliRun bad = init("--alerts", "twilio", "--twilio-sid", "AC0123456789abcdef0123456789abcdef", "--twilio-from",
                "+14155550100", "--twilio-to", "+14155550111");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("LIFELINE_TWILIO_AUTH_TOKEN: lifeline:twilioAuthToken is not a Twilio auth token")
                .doesNotContain("not-a-token");
        assertThat(written()).isEmpty();
    }

    @Test
    void aDigitalOceanHomeGetsItsTokenFileAndAConfigCheckConfigAccepts() throws IOException {
        env.put("DIGITALOCEAN_TOKEN", "dop_v1_0123456789abcdef");
        CliRun run = init("--provider", "digitalocean");

        assertThat(run.exitCode()).as("%s", run).isZero();
        Path token = configDir.resolve("do-token");
        assertThat(Files.readString(token).strip()).isEqualTo("dop_v1_0123456789abcdef");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        String stack = Files.readString(stacks.resolve("Pulumi.home.yaml"));
        assertThat(stack).contains("lifeline:region: fra1").contains("lifeline:size: s-1vcpu-512mb-10gb").doesNotContain("dop_v1");
        assertThat(Files.readString(configDir.resolve("lifeline.yaml"))).contains("digitalocean:").contains("tokenFile: \"" + token + "\"");
        CliRun check = CliRun.of("check-config", configDir.resolve("lifeline.yaml").toString());
        assertThat(check.exitCode()).as("%s", check).isZero();
    }

    @Test
    void anExistingConfigOrStackIsKeptUnlessForcedAndThenBackedUp() throws IOException {
        Files.createDirectories(configDir);
        Path config = Files.writeString(configDir.resolve("lifeline.yaml"), "# mine\n");

        CliRun refused = init();
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains(config + " exists").contains("--force");
        assertThat(Files.readString(config)).isEqualTo("# mine\n");
        assertThat(written()).containsExactly(config);

        CliRun forced = init("--force");
        assertThat(forced.exitCode()).as("%s", forced).isZero();
        assertThat(Files.readString(configDir.resolve("lifeline.yaml.bak"))).isEqualTo("# mine\n");

        CliRun again = init();
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("Pulumi.home.yaml exists").contains("--stack");
        CliRun forcedAgain = init("--force");
        assertThat(forcedAgain.exitCode()).as("%s", forcedAgain).isZero();
        assertThat(Files.readString(configDir.resolve("lifeline.yaml.bak"))).as("an older backup is never replaced").isEqualTo("# mine\n");
        assertThat(configDir.resolve("lifeline.yaml.bak.1")).exists();
        assertThat(stacks.resolve("Pulumi.home.yaml.bak")).exists();
    }

    @Test
    void thePackagesUntouchedExampleConfigIsReplacedWithoutForceAndKept() throws IOException {
        Files.createDirectories(configDir);
        Path example = Path.of("lifeline.example.yaml"); // tests run in supervisor/
        Files.copy(example, configDir.resolve("lifeline.yaml"));

        CliRun run = init();

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(Files.readString(configDir.resolve("lifeline.yaml"))).contains("written by `lifeline init`");
        assertThat(configDir.resolve("lifeline.yaml.bak")).hasSameTextualContentAs(example);
    }

    @Test
    void existingKeysAreReusedNeverReplaced() throws IOException {
        Path keys = Files.createDirectories(configDir.resolve("keys"));
        String tunnel1 = NewKeyPair.write(keys.resolve("tunnel1"), "tunnel1");
        byte[] privateBefore = Files.readAllBytes(keys.resolve("tunnel1"));

        CliRun run = init();

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out()).contains(keys.resolve("tunnel1") + " (reused").contains(keys.resolve("tunnel2") + " (made");
        assertThat(Files.readAllBytes(keys.resolve("tunnel1"))).isEqualTo(privateBefore);
        assertThat(Files.readString(stacks.resolve("Pulumi.home.yaml"))).contains(tunnel1);
    }

    @Test
    void aPubFileWithoutItsPrivateKeyIsRefused() throws IOException {
        Path keys = Files.createDirectories(configDir.resolve("keys"));
        Files.writeString(keys.resolve("tunnel1.pub"), TestKeys.ed25519("x").publicLine());

        CliRun run = init();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("tunnel1.pub exists without its private key");
        assertThat(Files.readString(keys.resolve("tunnel1.pub"))).startsWith("ssh-ed25519");
    }

    @Test
    void underSudoTheStackFileAndHostKeyBelongToTheUserWhoRanIt() throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        if ("true".equals(System.getenv("CI"))) {
            assertThat(root).as("ci/test.sh runs the tests as root").isTrue();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(root, "only root changes owners; run as root to see it");
        env.put("SUDO_USER", "nobody");

        CliRun run = init();

        assertThat(run.exitCode()).as("%s", run).isZero();
        // pulumi config set, run by that user, rewrites the stack file and reads the host key
        for (Path p : List.of(stacks.resolve("Pulumi.home.yaml"), tmp.resolve("hk"), tmp.resolve("hk/bastion_host_key"))) {
            assertThat(Files.getOwner(p).getName()).as("owner of %s", p).isEqualTo("nobody");
        }
        assertThat(Files.getOwner(configDir.resolve("lifeline.yaml")).getName()).isEqualTo("root");
        assertThat(Files.getOwner(configDir.resolve("keys/tunnel1")).getName()).isEqualTo("daemon");
    }

    @Test
    void withoutATerminalInitAsksForNonInteractive() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Lifeline()).setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()));
        InitCommand command = cl.getSubcommands().get("init").getCommand();
        command.console = null;

        int code = cl.execute("init", "--config-dir", configDir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("no terminal").contains("--non-interactive");
    }

    @Test
    void theRandomSshPortIsNeverOneTheStackRefusesNorATunnelsPort() {
        StackDraft draft = new StackDraft("t").set("provider", "aws");
        SecureRandom random = new SecureRandom();
        Set<Integer> taken = Set.of(29000, 29001);
        for (int i = 0; i < 2000; i++) {
            int port = SshPortPick.pick(random, taken, p -> draft.set("sshPort", String.valueOf(p)).problemsOf("sshPort").isEmpty());
            assertThat(port).isBetween(SshPortPick.LOW, SshPortPick.HIGH).isNotIn(taken).isNotEqualTo(22222);
        }
        // the stack's own rule is what excludes a scanned port: with everything else taken, only it would be left
        Set<Integer> allBut22222 = new java.util.HashSet<>();
        for (int p = SshPortPick.LOW; p <= SshPortPick.HIGH; p++) {
            if (p != 22222) {
                allBut22222.add(p);
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SshPortPick.pick(random, allBut22222,
                p -> draft.set("sshPort", String.valueOf(p)).problemsOf("sshPort").isEmpty())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theStackFileReadsBackAsTheSameValuesThroughARealYamlParser() {
        Map<String, Object> values = new TreeMap<>();
        values.put("sshPort", "47022");
        values.put("adminUser", "yes");
        values.put("logTarget", "tls://logs.example.com:6514");
        values.put("odd", "a: b # not a comment \"quoted\" 'single'");
        Map<String, Object> tunnel = new LinkedHashMap<>();
        tunnel.put("name", "tunnel1");
        tunnel.put("port", 29000);
        tunnel.put("publicKey", "ssh-ed25519 AAAAC3Nz+/= tunnel1");
        values.put("tunnels", List.of(tunnel));
        values.put("twilio", new TreeMap<>(Map.of("accountSid", "AC00", "from", "+14155550100", "to", List.of("+14155550111"))));
        values.put("web", Map.of());
        String text = StackFileText.of("lifeline", values);

        Path file = tmp.resolve("Pulumi.t.yaml");
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        StackFileValues read = StackFileValues.read(file);
        assertThat(text).startsWith("config:\n  lifeline:adminUser: \"yes\"\n").contains("  lifeline:sshPort: \"47022\"\n")
                .contains("  lifeline:tunnels:\n    - name: tunnel1\n      port: 29000\n");
        assertThat(read.keys()).containsExactlyInAnyOrderElementsOf(values.keySet());
        assertThat(read.get("sshPort").orElseThrow().asText()).isEqualTo("47022");
        assertThat(read.get("adminUser").orElseThrow().asText()).isEqualTo("yes");
        assertThat(read.get("odd").orElseThrow().asText()).isEqualTo("a: b # not a comment \"quoted\" 'single'");
        assertThat(read.get("logTarget").orElseThrow().asText()).isEqualTo("tls://logs.example.com:6514");
        assertThat(read.get("tunnels").orElseThrow().get(0).get("port").isInt()).isTrue();
        assertThat(read.get("tunnels").orElseThrow().get(0).get("publicKey").asText()).isEqualTo("ssh-ed25519 AAAAC3Nz+/= tunnel1");
        assertThat(read.get("twilio").orElseThrow().get("from").asText()).isEqualTo("+14155550100");
        assertThat(read.get("twilio").orElseThrow().get("to").get(0).asText()).isEqualTo("+14155550111");
        assertThat(read.get("web").orElseThrow().isObject()).isTrue();
    }
}
