package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.Tools;

/**
 * {@code lifeline init} run as the real jar: scripted with flags, then {@code render} and {@code check-config} (the
 * real jar again) accept what it wrote; and the same answers typed at its prompts on a real pseudo-terminal (python3's
 * pty module) write the same bytes.
 */
class InitIT {
    /** A Twilio auth token's form: 32 hex digits. */
    private static final String TOKEN = "fedcba9876543210fedcba9876543210";
    private static final String SID = "AC0123456789abcdef0123456789abcdef";
    private static final Pattern SECRET_LINE = Pattern.compile("(?m)^\\s*pulumi config set --secret lifeline:(\\w+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private Path repo;
    private Path configDir;
    private Path hostKeys;
    private Path adminKey;
    private String serviceUser;

    @BeforeEach
    void aCleanRepositoryAndConfigDirectory() throws IOException {
        repo = Files.createDirectories(tmp.resolve("repo"));
        Files.createDirectories(repo.resolve("stacks"));
        configDir = tmp.resolve("etc").resolve("lifeline");
        hostKeys = repo.resolve("lifeline-host-key");
        adminKey = tmp.resolve("admin.pub");
        Files.writeString(adminKey, TestKeys.ed25519("me@laptop").publicLine() + "\n");
        // as root, init gives the supervisor's files to the service user: one Debian always has stands in for lifeline
        serviceUser = "root".equals(System.getProperty("user.name")) ? "daemon" : System.getProperty("user.name");
    }

    /** The flags, and the answers a person types for the same set-up, in the order init asks. */
    private List<String> flags() {
        return List.of("--non-interactive", "--config-dir", configDir.toString(), "--service-user", serviceUser,
                "--provider", "aws", "--region", "eu-west-1", "--admin-key", adminKey.toString(), "--home-service", "127.0.0.1:8080",
                "--web", "self-signed", "--alerts", "twilio,webhook", "--twilio-sid", SID, "--twilio-from", "+14155550100",
                "--twilio-to", "+4915112345678,+4915112345679", "--webhook-url", "https://ntfy.sh/lifeline-it");
    }

    @Test
    void aScriptedInitWritesWhatRenderAndCheckConfigAccept() throws Exception {
        Tools.Result init = init(flags());

        assertThat(init.exitCode()).as("%s", init).isZero();
        Path stack = repo.resolve("stacks/Pulumi.home.yaml");
        Path config = configDir.resolve("lifeline.yaml");
        String stackText = Files.readString(stack);
        assertThat(stackText).doesNotContain("secure:").contains("lifeline:region: eu-west-1");
        int port = Integer.parseInt(value(stackText, "lifeline:sshPort: \"(\\d+)\""));
        assertThat(port).as("the random SSH port: above the crowded low ports, below Linux's ephemeral range, no tunnel's")
                .isBetween(10000, 32767).isNotIn(29000, 29001);
        assertThat(init.output()).contains("pulumi up").contains("lifeline import --config " + config)
                .contains("systemctl enable --now lifeline");

        // the supervisor's files: modes and owners as the package has them
        boolean root = "root".equals(System.getProperty("user.name"));
        assertMode(config, "rw-r-----", root ? "root" : serviceUser, root ? serviceUser : null);
        assertMode(configDir.resolve("keys"), "rwx------", serviceUser, null);
        assertMode(configDir.resolve("keys/tunnel1"), "rw-------", serviceUser, null);
        assertMode(configDir.resolve("twilio-token"), "rw-------", serviceUser, null);
        assertThat(Files.readString(configDir.resolve("twilio-token")).strip()).isEqualTo(TOKEN);

        Tools.Result check = lifeline(List.of("check-config", config.toString()), Map.of());
        assertThat(check.exitCode()).as("%s", check).isZero();
        assertThat(check.output()).contains(config + ": valid");
        if (root) {
            // as README has it, as the service user: the modes and owners let it read its config, keys and token, and
            // nobody else reads the config (JUnit's temporary directory is private; open the way to it first)
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            // the jar from where the service user may read it, as the package installs it (/usr/share/lifeline):
            // the checkout may sit in a private directory (a clone in mktemp -d is 0700)
            Path jar = Files.copy(SupervisorProcess.jar(), tmp.resolve("lifeline.jar"));
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            // and its lib/ (the cloud and SMS libraries OnDemandJars adds when a config needs them)
            Path lib = Files.createDirectories(tmp.resolve("lib"));
            try (var jars = Files.list(SupervisorProcess.jar().resolveSibling("lib"))) {
                for (Path j : jars.toList()) {
                    Files.setPosixFilePermissions(Files.copy(j, lib.resolve(j.getFileName())), PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
            List<String> asService = new ArrayList<>(List.of("runuser", "-u", serviceUser, "--",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                    "check-config", config.toString()));
            Tools.Result serviceCheck = Tools.run(120, asService);
            assertThat(serviceCheck.exitCode()).as("check-config as %s: %s", serviceUser, serviceCheck).isZero();
            Tools.Result stranger = Tools.run(30, List.of("runuser", "-u", "nobody", "--", "cat", config.toString()));
            assertThat(stranger.exitCode()).as("nobody reading the config: %s", stranger).isNotZero();
            assertThat(stranger.output()).contains("Permission denied");
        }

        // the printed secret lines, done: Pulumi stores each encrypted in the stack file (its CLI is not installed
        // here, so this writes what `pulumi config set --secret` leaves: the key with a secure: value)
        List<String> secrets = secretKeys(init.output());
        assertThat(secrets).containsExactlyInAnyOrder("hostKey", "twilioAuthToken");
        StringBuilder withSecrets = new StringBuilder(stackText);
        for (String key : secrets) {
            withSecrets.append("  lifeline:").append(key).append(":\n    secure: v1:c2FsdA==:ZW5jcnlwdGVk\n");
        }
        Files.writeString(stack, withSecrets);
        Path tokenAsPulumiHasIt = Files.writeString(tmp.resolve("token"), TOKEN); // what the prompt stores: no newline
        Path out = tmp.resolve("render-out");
        Tools.Result render = lifeline(List.of("render", "--stack", stack.toString(), "--out", out.toString(),
                "--secret", "hostKey=" + hostKeys.resolve("bastion_host_key"), "--secret", "twilioAuthToken=" + tokenAsPulumiHasIt), Map.of());
        assertThat(render.exitCode()).as("%s", render).isZero();
        assertThat(Files.readString(out.resolve("etc/ssh/sshd_config"))).contains("Port " + port).contains("PermitListen 127.0.0.1:29010 127.0.0.1:29011");
        assertThat(Files.readString(out.resolve("etc/ssh/authorized_keys/tunnel2")))
                .contains(Files.readString(configDir.resolve("keys/tunnel2.pub")).split(" ")[1]);
        String hostKeyText = Files.readString(hostKeys.resolve("bastion_host_key.pub")).split(" ")[1];
        assertThat(Files.readString(out.resolve("known_hosts"))).as("the bastion presents the key the config pins").contains(hostKeyText);
        assertThat(Files.readString(config)).contains(hostKeyText);

        // after pulumi up: the import fills in the placeholders, and the config still passes
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("provider", "aws");
        outputs.put("publicIp", "198.51.100.20");
        outputs.put("sshPort", String.valueOf(port));
        outputs.put("knownHostsLine", "[198.51.100.20]:" + port + " ssh-ed25519 " + hostKeyText);
        outputs.put("region", "eu-west-1");
        outputs.put("instanceId", "i-0123456789abcdef0");
        Tools.Result imported = Tools.run(120, command(List.of("import", "--config", config.toString())), Map.of(), JSON.writeValueAsString(outputs));
        assertThat(imported.exitCode()).as("%s", imported).isZero();
        assertThat(Files.readString(config)).contains("host: 198.51.100.20").contains("instanceId: i-0123456789abcdef0")
                .doesNotContain("set-by-lifeline-import.invalid");
        assertThat(lifeline(List.of("check-config", config.toString()), Map.of()).exitCode()).isZero();
    }

    @Test
    void theSameAnswersTypedAtThePromptsWriteTheSameFiles() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean python = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "python3")));
        assumeTrue(python || ci, "python3 is not installed (ci/test.sh installs it); the pty test needs its pty module");
        Tools.Result scripted = init(flags());
        assertThat(scripted.exitCode()).as("%s", scripted).isZero();
        Path stack = repo.resolve("stacks/Pulumi.home.yaml");
        Path config = configDir.resolve("lifeline.yaml");
        String port = value(Files.readString(stack), "lifeline:sshPort: \"(\\d+)\"");
        byte[] stackBytes = Files.readAllBytes(stack);
        byte[] configBytes = Files.readAllBytes(config);
        // a second set-up from scratch, keeping the keys (init reuses them; new ones would differ by design); the token
        // file goes too, so it is asked for again, without echo
        Files.delete(stack);
        Files.delete(config);
        Files.delete(configDir.resolve("twilio-token"));

        List<Map<String, String>> steps = new ArrayList<>();
        step(steps, "Stack name [home]", "");
        step(steps, "Cloud provider (aws, digitalocean) [aws]", "");
        step(steps, "Region [eu-central-1]", "mars-1");
        step(steps, "try again", "eu-west-1"); // a bad answer is asked again, with the reason
        step(steps, "Instance size [t4g.nano]", "");
        step(steps, "Tunnels (each its own key and bastion port) [2]", "");
        step(steps, "SSH port on the bastion [", port);
        step(steps, "Your login on the bastion [admin]", "");
        step(steps, "Your SSH public key", adminKey.toString());
        step(steps, "The home service the tunnels carry (HOST:PORT) [127.0.0.1:80]", "127.0.0.1:8080");
        step(steps, "HTTPS front on the bastion (none, self-signed, letsencrypt) [none]", "self-signed");
        step(steps, "When the bastion runs (on-outage, always-on) [on-outage]", "");
        step(steps, "Alert channels (none, or twilio and/or webhook) [none]", "twilio,webhook");
        step(steps, "Twilio account SID", SID);
        step(steps, "Twilio sender", "+14155550100");
        step(steps, "Phones to alert", "+4915112345678,+4915112345679");
        step(steps, "the Twilio Auth Token (not shown)", TOKEN);
        step(steps, "Webhook URL alerts are POSTed to", "https://ntfy.sh/lifeline-it");
        step(steps, "Webhook format (json, ntfy) [ntfy]", "");
        Path stepsFile = tmp.resolve("steps.json");
        Files.writeString(stepsFile, JSON.writeValueAsString(steps));
        Path driver = tmp.resolve("pty-drive.py");
        try (InputStream in = InitIT.class.getResourceAsStream("pty-drive.py")) {
            Files.write(driver, in.readAllBytes());
        }
        List<String> typed = new ArrayList<>(List.of("python3", driver.toString(), "150", stepsFile.toString()));
        typed.addAll(command(List.of("init", "--config-dir", configDir.toString(), "--service-user", serviceUser)));
        Tools.Result interactive = runIn(typed, Map.of(), 180);

        assertThat(interactive.exitCode()).as("%s", interactive).isZero();
        assertThat(interactive.output()).contains("lifeline:region 'mars-1' is not a aws region")
                .contains("reused: it exists").doesNotContain(TOKEN);
        assertThat(Files.readAllBytes(stack)).as("the stack file, typed vs scripted").isEqualTo(stackBytes);
        assertThat(Files.readAllBytes(config)).as("lifeline.yaml, typed vs scripted").isEqualTo(configBytes);
        assertThat(Files.readString(configDir.resolve("twilio-token")).strip()).isEqualTo(TOKEN);
    }

    @Test
    void aBadFlagNamesTheFlagAndWritesNothing() throws Exception {
        List<String> args = new ArrayList<>(flags());
        args.addAll(List.of("--ssh-port", "2222"));
        Tools.Result init = init(args);

        assertThat(init.exitCode()).as("%s", init).isEqualTo(2);
        assertThat(init.output()).contains("--ssh-port 2222: lifeline:sshPort must not be 2222").contains("nothing was written");
        assertThat(configDir).doesNotExist();
        assertThat(hostKeys).doesNotExist();
        try (var files = Files.list(repo.resolve("stacks"))) {
            assertThat(files).isEmpty();
        }
    }

    private static void step(List<Map<String, String>> steps, String expect, String send) {
        steps.add(Map.of("expect", expect, "send", send));
    }

    private Tools.Result init(List<String> args) {
        List<String> all = new ArrayList<>(List.of("init"));
        all.addAll(args);
        return lifeline(all, Map.of("LIFELINE_TWILIO_AUTH_TOKEN", TOKEN));
    }

    private Tools.Result lifeline(List<String> args, Map<String, String> env) {
        return runIn(command(args), env, 120);
    }

    /** Runs in the repository's root, as README's commands do. */
    private Tools.Result runIn(List<String> command, Map<String, String> env, long seconds) {
        List<String> inRepo = new ArrayList<>(List.of("/usr/bin/env", "-C", repo.toString()));
        inRepo.addAll(command);
        return Tools.run(seconds, inRepo, env, null);
    }

    private static List<String> command(List<String> args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", SupervisorProcess.jar().toString()));
        c.addAll(args);
        return c;
    }

    private static List<String> secretKeys(String output) {
        List<String> keys = new ArrayList<>();
        Matcher m = SECRET_LINE.matcher(output);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private static String value(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in:%n%s", regex, text).isTrue();
        return m.group(1);
    }

    private static void assertMode(Path file, String mode, String owner, String group) throws IOException {
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(PosixFilePermissions.toString(a.permissions())).as("mode of %s", file).isEqualTo(mode);
        assertThat(a.owner().getName()).as("owner of %s", file).isEqualTo(owner);
        if (group != null) {
            assertThat(a.group().getName()).as("group of %s", file).isEqualTo(group);
        }
    }
}
