package dev.lifeline.supervisor.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.testing.BootedHostRoot;
import dev.lifeline.supervisor.testing.BuiltPackage;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.Tools;

/**
 * The packaged lifeline.service is boxed in (issue 15, part 4): systemd's own score of its sandbox, and the real jar
 * still running inside that sandbox under a real systemd — reading the AWS key {@code lifeline import} installed too.
 */
class ServiceUnitSandboxIT {
    /** The bar; the unit measures 1.3 today. */
    private static final double MAX_EXPOSURE = 3.0;
    private static final Pattern OVERALL = Pattern.compile("Overall exposure level for lifeline\\.service: (\\d+\\.\\d)");
    private static Path deb;

    @TempDir
    Path dir;

    @BeforeAll
    static void findTheDeb() {
        deb = BuiltPackage.deb();
    }

    @Test
    void systemdScoresThePackagedUnitsExposureAtMostThree() {
        requireTool("/usr/bin/systemd-analyze", "systemd");
        Tools.Result extract = Tools.run(60, List.of("dpkg-deb", "-x", deb.toString(), dir.toString()));
        assertThat(extract.exitCode()).as("%s", extract).isZero();

        // --offline: scores the file as written, with no service manager needed (systemd 252, as on Debian 12)
        Tools.Result security = Tools.run(60, List.of("systemd-analyze", "security", "--offline=true", "--no-pager",
                dir.resolve("lib/systemd/system/lifeline.service").toString()));

        Matcher m = OVERALL.matcher(security.output());
        assertThat(m.find()).as("%s", security).isTrue();
        double exposure = Double.parseDouble(m.group(1));
        System.out.println("ServiceUnitSandboxIT: systemd-analyze security exposure " + exposure);
        assertThat(exposure).as("exposure of the packaged unit:\n%s", security.output()).isLessThanOrEqualTo(MAX_EXPOSURE);
        // the JIT writes the code it runs: this one setting would kill the JVM, whatever it adds to the score
        assertThat(security.output()).containsPattern("✗ MemoryDenyWriteExecute=");
    }

    @Test
    void theSandboxedUnitRunsTheRealJarUnderSystemd() throws Exception {
        requireTool("/usr/bin/systemd-nspawn", "systemd-container");
        requireRoot();
        try (BootedHostRoot host = withThePackage(dir.resolve("boot"))) {
            writeConfig(host);

            host.boot();
            Tools.Result start = host.inside(60, "systemctl", "start", "lifeline.service");
            assertThat(start.exitCode()).as("%s\n%s\n%s", start, journal(host), host.consoleText()).isZero();

            // The page answers, and a probe bound to an interface by name has measured a round trip: the JVM ran,
            // read its 0640 config and 0600 key, listed interfaces and opened sockets inside the sandbox.
            Await.until("the sandboxed supervisor's probe answers on /metrics", Duration.ofSeconds(90), () -> {
                assertThat(host.inside(10, "systemctl", "is-failed", "lifeline.service").output().strip())
                        .as("lifeline.service failed:\n%s", journal(host)).isNotEqualTo("failed");
                Tools.Result metrics = host.inside(10, "curl", "-sf", "-m", "5", "http://127.0.0.1:9309/metrics");
                return metrics.exitCode() == 0 && metrics.output()
                        .matches("(?s).*lifeline_probe_rtt_seconds\\{[^}]*target=\"tcp://127\\.0\\.0\\.1:9309\"[^}]*} \\d.*");
            });
            String show = host.inside(20, "systemctl", "show", "lifeline.service", "-p", "ActiveState", "-p", "NRestarts",
                    "-p", "SystemCallFilter", "-p", "CapabilityBoundingSet", "-p", "RestrictAddressFamilies").output();
            assertThat(show).contains("ActiveState=active").contains("NRestarts=0").contains("CapabilityBoundingSet=\n")
                    .contains("RestrictAddressFamilies=AF_INET AF_INET6 AF_NETLINK AF_UNIX\n"); // systemd lists them sorted
            assertThat(journal(host)).doesNotContain("Exception in thread").doesNotContain("Operation not permitted");

            Tools.Result stop = host.inside(90, "systemctl", "stop", "lifeline.service");
            assertThat(stop.exitCode()).as("%s", stop).isZero();
            assertThat(host.inside(10, "systemctl", "show", "lifeline.service", "-p", "Result").output())
                    .as("a clean stop, not a kill:\n%s", journal(host)).contains("Result=success");
        }
    }

    /**
     * chacha20-poly1305 (the cipher a Raspberry Pi 4 negotiates: no AES instructions) on OpenSSL's libcrypto through JNA,
     * inside the sandbox: JNA unpacks its native part into the service user's home (/var/lib/lifeline, the unit's
     * StateDirectory: ProtectSystem=strict leaves nothing else writable) and maps it executable, which
     * SystemCallFilter and the read-only root must allow. A real sshd in the container offers that cipher alone; the
     * status page, reached back through the tunnel, carries data both ways through it. Should JNA or libcrypto fail to
     * load, the JDK's cipher would run and the tunnel would work all the same, so the journal's line naming OpenSSL is
     * what tells the two apart.
     */
    @Test
    void theSandboxedUnitRunsChaCha20OnLibcryptoThroughJna() throws Exception {
        requireTool("/usr/bin/systemd-nspawn", "systemd-container");
        requireTool("/usr/sbin/sshd", "openssh-server");
        requireRoot();
        try (BootedHostRoot host = withThePackage(dir.resolve("boot"))) {
            TestKeys hostKey = TestKeys.ed25519("lifeline-it-bastion");
            TestKeys tunnelKey = TestKeys.ed25519("tunnel1");
            writeChaChaBastion(host, hostKey, tunnelKey);
            writeChaChaConfig(host, hostKey, tunnelKey);

            host.boot();
            Tools.Result sshd = host.inside(30, "systemd-run", "--unit=lifeline-it-sshd", "--property=RuntimeDirectory=sshd",
                    "/usr/sbin/sshd", "-D", "-e", "-f", "/etc/lifeline-it/sshd_config");
            assertThat(sshd.exitCode()).as("%s", sshd).isZero();
            Await.until("sshd listening in the container", Duration.ofSeconds(30), () ->
                    host.inside(10, "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + CHACHA_SSH_PORT).exitCode() == 0);
            Tools.Result start = host.inside(60, "systemctl", "start", "lifeline.service");
            assertThat(start.exitCode()).as("%s\n%s", start, journal(host)).isZero();

            // the bastion's end of the tunnel forwards to the supervisor's own status page
            try {
                Await.until("the status page answers through the chacha20 tunnel", Duration.ofSeconds(90), () -> {
                    assertThat(host.inside(10, "systemctl", "is-failed", "lifeline.service").output().strip())
                            .as("lifeline.service failed:\n%s", journal(host)).isNotEqualTo("failed");
                    Tools.Result page = host.inside(10, "curl", "-sf", "-m", "5", "http://127.0.0.1:" + CHACHA_TUNNEL_PORT + "/metrics");
                    return page.exitCode() == 0 && page.output().contains("lifeline_");
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nlifeline.service:\n" + journal(host) + "\nsshd:\n" + sshdLog(host), e);
            }
            String sshdLog = sshdLog(host);
            assertThat(sshdLog).as("sshd negotiated chacha20 with the supervisor")
                    .contains("kex: client->server cipher: chacha20-poly1305@openssh.com")
                    .contains("kex: server->client cipher: chacha20-poly1305@openssh.com");
            String journal = journal(host);
            assertThat(journal).as("the supervisor's cipher ran on libcrypto, not the JDK fallback")
                    .containsPattern("chacha20-poly1305@openssh\\.com runs on OpenSSL 3\\.")
                    .doesNotContain("is not usable")
                    .doesNotContain("Operation not permitted");
            assertThat(host.inside(10, "stat", "-c", "%U", "/var/lib/lifeline/.cache/JNA/temp").output().strip())
                    .as("JNA unpacked its native part in the service user's state directory").isEqualTo("lifeline");

            Tools.Result stop = host.inside(90, "systemctl", "stop", "lifeline.service");
            assertThat(stop.exitCode()).as("%s", stop).isZero();
            host.inside(30, "systemctl", "stop", "lifeline-it-sshd");
        }
    }

    private static String sshdLog(BootedHostRoot host) {
        return host.inside(20, "journalctl", "-u", "lifeline-it-sshd", "--no-pager", "-n", "200").output();
    }

    private static final int CHACHA_SSH_PORT = 47023;
    private static final int CHACHA_TUNNEL_PORT = 29001;

    /**
     * An sshd for the container with chacha20-poly1305 as its only cipher (DEBUG1: it logs the negotiated cipher), a
     * tunnel user with the key, forwarding to the bastion's own loopback only.
     */
    private static void writeChaChaBastion(BootedHostRoot host, TestKeys hostKey, TestKeys tunnelKey) throws IOException {
        Path it = Files.createDirectories(host.root().resolve("etc/lifeline-it"));
        TestConfigs.privateFile(it.resolve("ssh_host_ed25519_key"), hostKey.privatePem());
        Files.writeString(it.resolve("authorized_keys"), tunnelKey.publicLine() + "\n");
        Files.writeString(it.resolve("sshd_config"), """
                ListenAddress 127.0.0.1
                Port %d
                HostKey /etc/lifeline-it/ssh_host_ed25519_key
                Ciphers chacha20-poly1305@openssh.com
                AuthorizedKeysFile /etc/lifeline-it/authorized_keys
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                AllowTcpForwarding remote
                GatewayPorts no
                PermitListen 127.0.0.1:%d
                LogLevel DEBUG1
                """.formatted(CHACHA_SSH_PORT, CHACHA_TUNNEL_PORT));
        // "*", not useradd's "!": without PAM, sshd takes "!" for a locked account and refuses every key
        Tools.Result user = host.chroot(30, "useradd", "--system", "--shell", "/bin/sh", "--no-create-home", "--password", "*",
                "tunnel1");
        assertThat(user.exitCode()).as("%s", user).isZero();
    }

    /** The supervisor's config: one tunnel to that sshd, chacha20 only, its bastion end forwarding to the status page. */
    private static void writeChaChaConfig(BootedHostRoot host, TestKeys hostKey, TestKeys tunnelKey) throws IOException {
        Path etc = host.root().resolve("etc/lifeline");
        TestConfigs.privateFile(etc.resolve("keys/tunnel1"), tunnelKey.privatePem());
        Files.writeString(etc.resolve("lifeline.yaml"), """
                bastion:
                  provider: local
                  host: 127.0.0.1
                  port: %d
                  hostKey: "[127.0.0.1]:%d %s"
                ssh:
                  ciphers: [chacha20-poly1305@openssh.com]
                tunnels:
                  - name: primary
                    user: tunnel1
                    key: /etc/lifeline/keys/tunnel1
                    remote: 127.0.0.1:%d
                    local: 127.0.0.1:9309
                links:
                  primary:
                    probes: ["tcp://127.0.0.1:9309", "tcp://127.0.0.1:9309", "tcp://127.0.0.1:9309"]
                    interval: 2s
                    timeout: 1s
                    down: 3
                    up: 2
                """.formatted(CHACHA_SSH_PORT, CHACHA_SSH_PORT, hostKey.publicLine().replace(" lifeline-it-bastion", ""),
                CHACHA_TUNNEL_PORT));
        assertThat(host.chroot(20, "chown", "lifeline:lifeline", "/etc/lifeline/keys/tunnel1").exitCode()).isZero();
        assertThat(host.chroot(20, "chown", "root:lifeline", "/etc/lifeline/lifeline.yaml").exitCode()).isZero();
        assertThat(host.chroot(20, "chmod", "0640", "/etc/lifeline/lifeline.yaml").exitCode()).isZero();
    }

    /**
     * On-outage mode on AWS, end to end inside the sandbox: {@code lifeline import}, run as root, installs the stack's key
     * as /etc/lifeline/aws-credentials owned by the package's {@code lifeline} user, and the sandboxed service reads it
     * and starts the stopped bastion when the primary line goes down — in moto with IAM on, inside the container (it has
     * only loopback), where a request signed with any other key, or none, is refused.
     */
    @Test
    void theSandboxedUnitStartsTheAwsBastionWithTheKeyImportGaveTheLifelineUser() throws Exception {
        requireTool("/usr/bin/systemd-nspawn", "systemd-container");
        requireRoot();
        Path moto = dev.lifeline.templates.testing.MotoServer.binary();
        Path python = moto.resolveSibling("python");
        try (BootedHostRoot host = withThePackage(dir.resolve("boot"))) {
            Path root = host.root();
            try (var script = ServiceUnitSandboxIT.class.getResourceAsStream("/moto/pi-aws-key.py")) {
                // not /tmp: the booted container mounts a fresh tmpfs there
                Files.copy(script, root.resolve("root/pi-aws-key.py"));
            }
            String hostKey = TestKeys.ed25519("lifeline-bastion").publicLine();
            writeAwsConfig(host, hostKey);

            host.boot();
            Tools.Result emulator = host.inside(30, "systemd-run", "--unit=lifeline-it-moto", "--setenv=INITIAL_NO_AUTH_ACTION_COUNT=3",
                    moto.toString(), "-H", "127.0.0.1", "-p", String.valueOf(MOTO_PORT));
            assertThat(emulator.exitCode()).as("%s", emulator).isZero();
            Await.until("moto listening in the container", Duration.ofSeconds(60), () ->
                    host.inside(10, "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + MOTO_PORT).exitCode() == 0);
            Tools.Result setup = host.inside(120, python.toString(), "/root/pi-aws-key.py", "setup", String.valueOf(MOTO_PORT));
            assertThat(setup.exitCode()).as("%s", setup).isZero();
            var made = new com.fasterxml.jackson.databind.ObjectMapper().readTree(setup.output().lines()
                    .filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
            String instance = made.get("instanceId").asText();
            String secret = made.get("secretAccessKey").asText();
            Files.writeString(root.resolve("root/outputs.json"), """
                    {"provider": "aws", "region": "eu-central-1", "instanceId": "%s", "publicIp": "127.0.0.1",
                     "sshPort": 47022, "adminUser": "admin", "knownHostsLine": "[127.0.0.1]:47022 %s",
                     "hostKeyPublic": "%s", "tunnelPorts": {"primary": 29000},
                     "supervisorAccessKeyId": "%s", "supervisorSecretAccessKey": "%s"}
                    """.formatted(instance, hostKey, hostKey, made.get("accessKeyId").asText(), secret));

            Tools.Result imported = host.inside(120, "sh", "-c",
                    "/usr/bin/lifeline import --config /etc/lifeline/lifeline.yaml < /root/outputs.json && rm /root/outputs.json");
            assertThat(imported.exitCode()).as("%s", imported).isZero();
            assertThat(imported.output()).doesNotContain(secret).contains("/etc/lifeline/aws-credentials");
            assertThat(host.inside(10, "stat", "-c", "%U:%G %a", "/etc/lifeline/aws-credentials").output().strip())
                    .isEqualTo("lifeline:lifeline 600");
            assertThat(host.inside(60, "runuser", "-u", "lifeline", "--", "/usr/bin/lifeline", "check-config", "/etc/lifeline/lifeline.yaml").output())
                    .as("check-config as the service user").contains("valid");

            Tools.Result start = host.inside(60, "systemctl", "start", "lifeline.service");
            assertThat(start.exitCode()).as("%s\n%s", start, journal(host)).isZero();
            Await.until("the sandboxed supervisor started the bastion in moto", Duration.ofSeconds(120), () -> {
                assertThat(host.inside(10, "systemctl", "is-failed", "lifeline.service").output().strip())
                        .as("lifeline.service failed:\n%s", journal(host)).isNotEqualTo("failed");
                return host.inside(60, python.toString(), "/root/pi-aws-key.py", "state", String.valueOf(MOTO_PORT), instance)
                        .output().strip().endsWith("running");
            });
            String journal = journal(host);
            assertThat(journal).doesNotContain("refused the credentials").doesNotContain("no AWS credentials")
                    .doesNotContain(secret);
            Tools.Result stop = host.inside(90, "systemctl", "stop", "lifeline.service");
            assertThat(stop.exitCode()).as("%s", stop).isZero();
        }
    }

    private static final int MOTO_PORT = 5055;

    /** The package's config shape for AWS, its EC2 endpoint at moto; the primary line's probes never answer. */
    private static void writeAwsConfig(BootedHostRoot host, String hostKey) throws IOException {
        Path etc = host.root().resolve("etc/lifeline");
        TestConfigs.privateKey(etc.resolve("keys/tunnel1"), "tunnel1");
        Files.writeString(etc.resolve("lifeline.yaml"), """
                bastion:
                  provider: aws
                  host: 127.0.0.1
                  port: 47022
                  hostKey: "[127.0.0.1]:47022 %s"
                  mode: on-outage
                  aws:
                    region: eu-central-1
                    instanceId: i-00000000000000000
                    endpoint: "http://127.0.0.1:%d"
                tunnels:
                  - name: primary
                    user: tunnel1
                    key: /etc/lifeline/keys/tunnel1
                    remote: 127.0.0.1:29000
                    local: 127.0.0.1:8080
                links:
                  primary:
                    probes: ["tcp://127.0.0.1:9", "tcp://127.0.0.1:9", "tcp://127.0.0.1:9"]
                    interval: 1s
                    timeout: 500ms
                    down: 2
                    up: 2
                """.formatted(hostKey, MOTO_PORT));
        assertThat(host.chroot(20, "chown", "lifeline:lifeline", "/etc/lifeline/keys/tunnel1").exitCode()).isZero();
        assertThat(host.chroot(20, "chown", "root:lifeline", "/etc/lifeline/lifeline.yaml").exitCode()).isZero();
        assertThat(host.chroot(20, "chmod", "0640", "/etc/lifeline/lifeline.yaml").exitCode()).isZero();
    }

    /** A tunnel to a bastion that is not there (it retries) and a line probed through loopback, bound by name. */
    private static void writeConfig(BootedHostRoot host) throws IOException {
        Path etc = host.root().resolve("etc/lifeline");
        TestConfigs.privateKey(etc.resolve("keys/tunnel1"), "tunnel1");
        String hostKey = TestKeys.ed25519("bastion").publicLine().replace(" bastion", "");
        Files.writeString(etc.resolve("lifeline.yaml"), """
                bastion:
                  provider: local
                  host: 127.0.0.1
                  port: 47022
                  hostKey: "[127.0.0.1]:47022 %s"
                tunnels:
                  - name: primary
                    user: tunnel1
                    key: /etc/lifeline/keys/tunnel1
                    remote: 127.0.0.1:29000
                    local: 127.0.0.1:8080
                    bind: 127.0.0.1
                links:
                  primary:
                    bind: lo
                    probes: ["tcp://127.0.0.1:9309", "tcp://127.0.0.1:9309", "tcp://127.0.0.1:9309"]
                    interval: 2s
                    timeout: 1s
                    down: 3
                    up: 2
                """.formatted(hostKey));
        // as the package means them: the key lifeline's alone, the config readable by its group
        assertThat(host.chroot(20, "chown", "lifeline:lifeline", "/etc/lifeline/keys/tunnel1").exitCode()).isZero();
        assertThat(host.chroot(20, "chown", "root:lifeline", "/etc/lifeline/lifeline.yaml").exitCode()).isZero();
        assertThat(host.chroot(20, "chmod", "0640", "/etc/lifeline/lifeline.yaml").exitCode()).isZero();
    }

    /** This machine's root as an overlay under {@code base}, not booted yet, with the package installed in it. */
    private static BootedHostRoot withThePackage(Path base) throws IOException {
        BootedHostRoot host = BootedHostRoot.mount(Files.createDirectories(base));
        try {
            Files.copy(deb, host.root().resolve("tmp/lifeline.deb"));
            // the JRE is this machine's; --force-depends only spares dpkg a database that does not list it
            Tools.Result install = host.chroot(120, "dpkg", "-i", "--force-depends", "/tmp/lifeline.deb");
            assertThat(install.exitCode()).as("%s", install).isZero();
            return host;
        } catch (IOException | RuntimeException | AssertionError e) {
            host.close();
            throw e;
        }
    }

    private static String journal(BootedHostRoot host) {
        return host.inside(20, "journalctl", "-u", "lifeline.service", "--no-pager", "-n", "60").output();
    }

    static void requireTool(String path, String pkg) {
        boolean present = Files.isExecutable(Path.of(path));
        if (!present && !"true".equals(System.getenv("CI"))) {
            System.out.println("ServiceUnitSandboxIT: " + path + " is not installed (ci/test.sh installs " + pkg + ")");
        }
        assumeTrue(present || "true".equals(System.getenv("CI")), path + " is not installed");
        Tools.require(path);
    }

    /** Mounts and a booted container: root only. ci/test.sh runs as root, so in CI not being root is a failure. */
    static void requireRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if ("true".equals(System.getenv("CI"))) {
            assertThat(root).as("CI runs the package tests as root (ci/test.sh)").isTrue();
        }
        assumeTrue(root, "mounting an overlay and booting a container: skipped when not root");
    }
}
