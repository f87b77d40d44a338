package dev.lifeline.templates.bastion;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.render.BastionLayout;
import dev.lifeline.templates.render.CloudConfig;
import dev.lifeline.templates.render.RenderedFile;
import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.testing.LocalForward;
import dev.lifeline.templates.testing.BootedBastion;
import dev.lifeline.templates.testing.HomeService;
import dev.lifeline.templates.testing.OpenSshClient;
import dev.lifeline.templates.testing.SysctlFile;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.TestStacks;
import dev.lifeline.templates.testing.Tools;

/**
 * The user-data {@code pulumi up} passes, booted on a real Debian 12 (ci/bastion-boot.sh: debootstrap image,
 * systemd-nspawn, cloud-init with a NoCloud seed), gzipped as EC2 gets it. One machine serves every check: booting
 * is the expensive part. Everything the bastion does is asked of the machine itself or tried from the outside with
 * the real OpenSSH client, pinned to exactly the known_hosts line the program exports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // only to run the package upgrade after every other check
class BootedBastionIT {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final int SSH_PORT = 47022;
    private static final int TUNNEL1_PORT = 29000;
    private static final int TUNNEL2_PORT = 39000;
    private static final int SYSLOG_PORT = 5514;
    private static final String SID = "AC" + "0123456789abcdef".repeat(2);

    private final TestKeys adminKey = TestKeys.ed25519("admin@laptop");
    private final TestKeys tunnel1Key = TestKeys.ed25519("tunnel1@pi");
    private final TestKeys tunnel2Key = TestKeys.ed25519("tunnel2@pi");

    private Path network;
    private Path client;
    private BastionSpec spec;
    private BootedBastion bastion;
    private WireMockServer twilio;
    private SyslogReceiver syslog;
    private HomeService home1;
    private HomeService home2;
    private OpenSshClient admin;
    private OpenSshClient tunnel1;
    private OpenSshClient tunnel2;
    private Instant started;

    @BeforeAll
    void boot() throws Exception {
        BootedBastion.assumeBootable();
        started = Instant.now();
        network = BootedBastion.network();
        try {
            client = Files.createDirectories(network.resolve("client"));
            syslog = SyslogReceiver.start(BootedBastion.HOST, SYSLOG_PORT);
            twilio = TwilioStub.start(client);
            spec = BastionSpecReader.read(stack());
            bastion = BootedBastion.boot(network, "bastion", 1, spec, BootedBastion.UserDataForm.EC2_GZIP);
            TwilioStub.trustInside(bastion, client);
            // exactly the line the provision program exports (LifelineBastion: knownHostsLine(ip, sshPort))
            Path knownHosts = Files.writeString(client.resolve("known_hosts"),
                    spec.hostKey().knownHostsLine(bastion.address(), spec.sshPort()) + "\n");
            admin = client("admin", adminKey, knownHosts);
            tunnel1 = client("tunnel1", tunnel1Key, knownHosts);
            tunnel2 = client("tunnel2", tunnel2Key, knownHosts);
            home1 = HomeService.start("home-one");
            home2 = HomeService.start("home-two");
        } catch (Exception | AssertionError e) {
            stopAll();
            throw e;
        }
        System.out.printf("timing: boot-setup-total %.1fs%n", Duration.between(started, Instant.now()).toMillis() / 1000.0);
        started = Instant.now();
    }

    /** The stack every machine here boots: two tunnels, Twilio, the self-signed web front, log forwarding. */
    private TestStacks stack() {
        return TestStacks.validAws()
                .set("sshPort", String.valueOf(SSH_PORT))
                .json("adminKeys", List.of(adminKey.publicLine()))
                .json("tunnels", List.of(
                        Map.of("name", "tunnel1", "port", TUNNEL1_PORT, "publicKey", tunnel1Key.publicLine()),
                        Map.of("name", "tunnel2", "port", TUNNEL2_PORT, "publicKey", tunnel2Key.publicLine())))
                .json("twilio", Map.of("accountSid", SID, "from", "+14155550100", "to", List.of("+14155550111")))
                .set("logTarget", "tcp://" + BootedBastion.HOST + ":" + SYSLOG_PORT);
    }

    @AfterAll
    void stopAll() {
        if (started != null && bastion != null) {
            System.out.printf("timing: checks %.1fs%n", Duration.between(started, Instant.now()).toMillis() / 1000.0);
        }
        for (AutoCloseable c : new AutoCloseable[] {home1, home2, syslog}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // stopping the rest matters more
            }
        }
        if (twilio != null) {
            twilio.stop();
        }
        BootedBastion.stop(network);
    }

    private OpenSshClient client(String name, TestKeys key, Path knownHosts) throws IOException {
        Path id = client.resolve(name);
        Files.writeString(id, key.privatePem());
        Files.setPosixFilePermissions(id, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return new OpenSshClient(id, knownHosts, bastion.address(), spec.sshPort());
    }

    // --- cloud-init ---------------------------------------------------------------------------------------------

    @Test
    void cloudInitFinishedWithoutAnErrorOrWarning() throws Exception {
        JsonNode result = new ObjectMapper().readTree(bastion.read("/run/cloud-init/result.json"));
        assertThat(result.path("v1").path("errors")).as("cloud-init errors; its output:\n%s",
                bastion.exec(10, "tail", "-40", "/var/log/cloud-init-output.log")).isEmpty();
        Tools.Result warnings = bastion.exec(10, "grep", "-E", "WARNING|ERROR|Traceback", "/var/log/cloud-init.log");
        assertThat(warnings.exitCode()).as("warnings or errors in cloud-init.log:\n%s", warnings.output()).isEqualTo(1);
        assertThat(bastion.sh("cloud-init status --long")).contains("status: done");
    }

    @Test
    void aMinimalDigitalOceanStackBootsCleanFromPlainUserData() throws Exception {
        // A second machine: DigitalOcean hands cloud-init the user-data uncompressed; and the smallest stack (no web
        // front, no Twilio, no log target, so no nginx and no rsyslog: fail2ban must read the journal itself).
        BastionSpec minimal = BastionSpecReader.read(stack().set("provider", "digitalocean").remove("web")
                .remove("twilio").remove("twilioAuthToken").remove("logTarget"));
        BootedBastion droplet = BootedBastion.boot(network, "droplet", 2, minimal, BootedBastion.UserDataForm.DIGITALOCEAN_PLAIN);
        JsonNode result = new ObjectMapper().readTree(droplet.read("/run/cloud-init/result.json"));
        assertThat(result.path("v1").path("errors")).as("cloud-init errors; its output:\n%s",
                droplet.exec(10, "tail", "-30", "/var/log/cloud-init-output.log")).isEmpty();
        assertThat(droplet.exec(10, "grep", "-E", "WARNING|ERROR|Traceback", "/var/log/cloud-init.log").output()).isEmpty();
        assertThat(droplet.sh("getent passwd admin tunnel1 tunnel2 | cut -d: -f1")).isEqualTo("admin\ntunnel1\ntunnel2\n");
        assertThat(droplet.exec(10, "dpkg-query", "-W", "-f=${Status}", "rsyslog").output()).doesNotContain("install ok installed");
        // the home watch runs without Twilio too: it then only logs
        for (String unit : List.of("ssh", "nftables", "fail2ban", "unattended-upgrades", "lifeline-home-watch", "lifeline-tunnel-watchdog")) {
            assertThat(droplet.exec(10, "systemctl", "is-active", unit).output().trim()).as("%s active", unit).isEqualTo("active");
        }
        assertThat(droplet.sh("fail2ban-client status sshd")).contains("Status for the jail: sshd");
        assertThat(droplet.exec(130, "systemctl", "is-system-running", "--wait").output().trim()).as("failed units:\n%s",
                droplet.exec(10, "systemctl", "--failed", "--no-pager").output()).isEqualTo("running");
    }

    @Test
    void withADomainTheTlsTimerIsEnabledAndNginxServesMeanwhile() throws Exception {
        // Let's Encrypt can't be reached from here (nor, on a real first boot, before the name points at the
        // bastion): the self-signed certificate serves and lifeline-tls.timer keeps trying.
        BastionSpec le = BastionSpecReader.read(stack().json("web", Map.of("domain", "home.example.com", "email", "admin@example.com")));
        BootedBastion m = BootedBastion.boot(network, "letsencrypt", 4, le, BootedBastion.UserDataForm.EC2_GZIP);
        JsonNode result = new ObjectMapper().readTree(m.read("/run/cloud-init/result.json"));
        assertThat(result.path("v1").path("errors")).as("cloud-init errors; its output:\n%s",
                m.exec(10, "tail", "-30", "/var/log/cloud-init-output.log")).isEmpty();
        assertThat(m.exec(10, "grep", "-E", "WARNING|ERROR|Traceback", "/var/log/cloud-init.log").output()).isEmpty();
        for (String unit : List.of("lifeline-tls.timer", "nginx", "ssh")) {
            assertThat(m.exec(10, "systemctl", "is-active", unit).output().trim()).as("%s active", unit).isEqualTo("active");
            assertThat(m.exec(10, "systemctl", "is-enabled", unit).output().trim()).as("%s enabled", unit).isEqualTo("enabled");
        }
        assertThat(m.sh("dpkg-query -W -f='${Status}' certbot")).isEqualTo("install ok installed");
        Tools.Result https = Tools.run(20, List.of(Tools.which("curl"), "-sk", "-o", "/dev/null", "-w", "%{http_code}",
                "--max-time", "5", "https://" + m.address() + "/"));
        assertThat(https.output()).as("nginx over HTTPS with no tunnel up: %s", https).isEqualTo("502");
    }

    @Test
    void everyPackageOfTheUserDataIsInstalled() throws Exception {
        JsonNode cloudConfig = YAML.readTree(CloudConfig.userData(spec));
        List<String> packages = new ArrayList<>();
        cloudConfig.path("packages").forEach(p -> packages.add(p.asText()));
        assertThat(packages).contains("nftables", "fail2ban", "nginx", "rsyslog", "unattended-upgrades");
        for (String p : packages) {
            assertThat(bastion.exec(10, "dpkg-query", "-W", "-f=${Status}", p).output())
                    .as("package %s", p).isEqualTo("install ok installed");
        }
    }

    @Test
    void everyWrittenFileHasItsModeOwnerAndContent() {
        List<RenderedFile> files = BastionFiles.render(spec, BastionLayout.onVm());
        assertThat(files).hasSizeGreaterThan(8);
        for (RenderedFile f : files) {
            String stat = bastion.sh("stat -c '%a %U:%G' '" + f.path() + "'").trim();
            assertThat(stat).as("mode and owner of %s", f.path())
                    .isEqualTo(Integer.toOctalString(Integer.parseInt(f.mode(), 8)) + " root:root");
            assertThat(bastion.read(f.path())).as("content of %s", f.path()).isEqualTo(f.content());
        }
        assertThat(bastion.read("/etc/pam.d/sshd")).as("the login alert is in sshd's PAM stack")
                .endsWith("@include lifeline-login-alert\n");
    }

    @Test
    void hostKeyIsExactlyTheStacksAndTheOnlyOne() {
        assertThat(bastion.sh("ls /etc/ssh | grep '^ssh_host_' | sort").trim().split("\n"))
                .containsExactly("ssh_host_ed25519_key", "ssh_host_ed25519_key.pub");
        assertThat(bastion.read("/etc/ssh/ssh_host_ed25519_key.pub").trim())
                .startsWith(spec.hostKey().publicLine().split(" ")[0] + " " + spec.hostKey().publicLine().split(" ")[1]);
    }

    // --- users, services, kernel, firewall ----------------------------------------------------------------------

    @Test
    void theAdminHasSudoAndEachTunnelUserHasNoShell() {
        assertThat(bastion.sh("getent passwd admin | cut -d: -f7").trim()).isEqualTo("/bin/bash");
        assertThat(bastion.sh("id -nG admin")).contains("sudo");
        for (String t : List.of("tunnel1", "tunnel2")) {
            Tools.Result r = bastion.exec(10, "getent", "passwd", t);
            assertThat(r.exitCode()).as("tunnel user %s exists; cloud-init output:\n%s", t,
                    bastion.exec(10, "grep", "-iE", "useradd|fail", "/var/log/cloud-init.log").output()).isZero();
            assertThat(r.output().trim()).endsWith(":/usr/sbin/nologin");
        }
    }

    @Test
    void theHostnameResolves() {
        String hostname = bastion.sh("hostname").trim();
        assertThat(hostname).isEqualTo("lifeline-" + spec.stackName());
        Tools.Result r = bastion.exec(10, "getent", "hosts", hostname);
        assertThat(r.exitCode()).as("`getent hosts %s` (sudo needs it); /etc/hosts:\n%s", hostname,
                bastion.exec(5, "cat", "/etc/hosts").output()).isZero();
    }

    @Test
    void everyServiceIsActiveAndEnabledAndTheSystemRuns() throws Exception {
        for (String unit : List.of("ssh", "nginx", "nftables", "fail2ban", "rsyslog", "unattended-upgrades", "lifeline-home-watch",
                "lifeline-tunnel-watchdog")) {
            assertThat(bastion.exec(10, "systemctl", "is-active", unit).output().trim()).as("%s active", unit).isEqualTo("active");
            assertThat(bastion.exec(10, "systemctl", "is-enabled", unit).output().trim()).as("%s enabled", unit).isEqualTo("enabled");
        }
        assertThat(bastion.sh("fail2ban-client status sshd")).as("the jail watches sshd").contains("Status for the jail: sshd");
        assertThat(bastion.sh("cat /run/lifeline-home-watch/state")).as("the home watch's state; its log:\n%s",
                bastion.exec(10, "journalctl", "-u", "lifeline-home-watch", "--no-pager").output()).matches("\\d+ [01]\n");
        Tools.Result state = bastion.exec(130, "systemctl", "is-system-running", "--wait");
        assertThat(state.output().trim()).as("failed units:\n%s",
                bastion.exec(10, "systemctl", "--failed", "--no-pager").output()).isEqualTo("running");
    }

    @Test
    void kernelSettingsAreInForce() {
        String conf = BastionFiles.render(spec, BastionLayout.onVm()).stream()
                .filter(f -> f.path().equals(BastionFiles.SYSCTL)).findFirst().orElseThrow().content();
        Map<String, String> settings = SysctlFile.entries(conf);
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            assertThat(bastion.sh("sysctl -n " + setting.getKey()).trim()).as("sysctl %s", setting.getKey()).isEqualTo(setting.getValue());
        }
        assertThat(settings).isNotEmpty();
    }

    @Test
    void onlyRootReachesTheMetadataService() {
        long rejectedBefore = metadataRejections();
        Tools.Result asRoot = bastion.exec(15, "curl", "-sS", "--max-time", "5", "http://169.254.169.254/");
        assertThat(asRoot.exitCode()).as("root (cloud-init) asks the metadata service: %s", asRoot).isZero();
        for (String user : List.of("www-data", "nobody")) {
            Tools.Result r = bastion.exec(15, "setpriv", "--reuid=" + user, "--regid=nogroup", "--clear-groups",
                    "curl", "-sS", "--max-time", "5", "http://169.254.169.254/");
            assertThat(r.exitCode()).as("%s at the metadata address: %s", user, r).isEqualTo(7);
        }
        assertThat(metadataRejections() - rejectedBefore).as("packets the nftables rule rejected").isGreaterThanOrEqualTo(2);
    }

    /** The counter of the bastion's nftables rule that rejects non-root packets to the metadata address. */
    private long metadataRejections() {
        String table = bastion.sh("nft list table inet lifeline");
        var m = java.util.regex.Pattern.compile("ip daddr 169\\.254\\.169\\.254 meta skuid != 0 counter packets (\\d+)").matcher(table);
        assertThat(m.find()).as("the metadata rule in the loaded table:\n%s", table).isTrue();
        return Long.parseLong(m.group(1));
    }

    // --- from the outside ---------------------------------------------------------------------------------------

    @Test
    void theAdminLogsInAgainstThePinnedHostKeyAndSudoWorks() {
        Tools.Result r = admin.ssh("admin", List.of(), "sudo", "-n", "id", "-u");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output().trim()).isEqualTo("0");
        assertThat(r.output()).doesNotContain("unable to resolve host");
    }

    @Test
    void passwordsAreNotOfferedAndRootIsRefused() {
        Tools.Result password = admin.ssh("admin", List.of("-o", "PubkeyAuthentication=no",
                "-o", "PreferredAuthentications=password,keyboard-interactive"), "true");
        assertThat(password.exitCode()).as(password.toString()).isEqualTo(255);
        assertThat(password.output()).contains("Permission denied (publickey)");
        bastion.sh("mkdir -p /root/.ssh && cp /etc/ssh/authorized_keys/admin /root/.ssh/authorized_keys");
        Tools.Result root = admin.ssh("root", List.of(), "true");
        assertThat(root.exitCode()).as(root.toString()).isEqualTo(255);
        assertThat(root.output()).contains("Permission denied");
    }

    @Test
    void theHarnessLetsTheMachineReachOnlyDebiansRegistry() {
        // the test's own guard: nothing in the machine reaches anything but deb.debian.org through the proxy
        Tools.Result other = bastion.exec(20, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                "-x", "http://" + BootedBastion.HOST + ":3142", "http://example.com/");
        assertThat(other.output()).as("another host through the proxy: %s", other).isEqualTo("403");
        Tools.Result direct = bastion.exec(20, "curl", "-sS", "--max-time", "5", "http://192.0.2.1/");
        assertThat(direct.exitCode()).as("a direct connection out: %s", direct).isEqualTo(7);
    }

    @Test
    void aClientPinnedToAnotherHostKeyIsRefused() throws IOException {
        Path wrong = Files.writeString(client.resolve("known_hosts.wrong"), "[" + bastion.address() + "]:" + SSH_PORT + " "
                + TestKeys.ed25519("impostor").publicLine() + "\n");
        OpenSshClient pinnedElsewhere = new OpenSshClient(client.resolve("admin"), wrong, bastion.address(), SSH_PORT);
        Tools.Result r = pinnedElsewhere.ssh("admin", List.of(), "true");
        assertThat(r.exitCode()).isEqualTo(255);
        assertThat(r.output()).contains("REMOTE HOST IDENTIFICATION HAS CHANGED");
    }

    @Test
    void eachTunnelHoldsItsPortAndHttpsFailsOverToTheSecond() throws Exception {
        try (var t1 = tunnel1.background("tunnel1", List.of("-o", "ExitOnForwardFailure=yes",
                "-R", "127.0.0.1:" + TUNNEL1_PORT + ":127.0.0.1:" + home1.port()), client.resolve("t1.log"));
             var t2 = tunnel2.background("tunnel2", List.of("-o", "ExitOnForwardFailure=yes",
                     "-R", "127.0.0.1:" + TUNNEL2_PORT + ":127.0.0.1:" + home2.port()), client.resolve("t2.log"))) {
            assertThat(awaitHttps("home-one", Duration.ofSeconds(20))).as("tunnel1: %s", t1.output()).isEqualTo("home-one");
            assertThat(bastion.sh("ss -Hltn 'sport = :" + TUNNEL2_PORT + "'")).as("tunnel2: %s", t2.output()).contains("127.0.0.1:" + TUNNEL2_PORT);
            // the home watch sees the tunnels from inside its sandbox (ss over netlink): its state turns to "up" ("0 0")
            // within one check (10 s)
            Instant until = Instant.now().plusSeconds(25);
            while (!bastion.sh("cat /run/lifeline-home-watch/state").equals("0 0\n") && Instant.now().isBefore(until)) {
                Thread.sleep(500);
            }
            assertThat(bastion.sh("cat /run/lifeline-home-watch/state")).as("the home watch's state; its log:\n%s",
                    bastion.exec(10, "journalctl", "-u", "lifeline-home-watch", "--no-pager").output()).isEqualTo("0 0\n");
            t1.close();
            assertThat(awaitHttps("home-two", Duration.ofSeconds(20))).isEqualTo("home-two");
        }
    }

    /**
     * The tunnel watchdog in its own sandbox (only CAP_KILL, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH): it finds the sshd
     * session holding a frozen tunnel's health port and ends it, which frees the tunnel's port within 5 s. The tunnel
     * is OpenSSH's ssh -R for both ports, its health port answered here as the supervisor answers it (one line).
     */
    @Test
    void theTunnelWatchdogFreesAFrozenTunnelsPortWithinFiveSeconds() throws Exception {
        int healthPort = spec.tunnels().get(0).healthPort();
        try (ServerSocket responder = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                while (!responder.isClosed()) {
                    try (Socket s = responder.accept()) {
                        s.getOutputStream().write("lifeline ok\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // closed at the end of the test
                    }
                }
            }, "health-responder");
            answering.setDaemon(true);
            answering.start();
            try (var t1 = tunnel1.background("tunnel1", List.of("-o", "ExitOnForwardFailure=yes",
                    "-R", "127.0.0.1:" + TUNNEL1_PORT + ":127.0.0.1:" + home1.port(),
                    "-R", "127.0.0.1:" + healthPort + ":127.0.0.1:" + responder.getLocalPort()), client.resolve("t1-health.log"))) {
                Instant until = Instant.now().plusSeconds(20);
                while (!bastion.sh("ss -Hltn 'sport = :" + healthPort + "'").contains("127.0.0.1:" + healthPort) && Instant.now().isBefore(until)) {
                    Thread.sleep(200);
                }
                assertThat(awaitHttps("home-one", Duration.ofSeconds(20))).as("tunnel1: %s", t1.output()).isEqualTo("home-one");
                Thread.sleep(5000); // healthy and answered: the watchdog must leave it alone
                assertThat(bastion.sh("ss -Hltn 'sport = :" + TUNNEL1_PORT + "'")).contains("127.0.0.1:" + TUNNEL1_PORT);

                Tools.run(5, List.of("kill", "-STOP", String.valueOf(t1.process().pid())));
                Instant frozen = Instant.now();
                try {
                    while (bastion.sh("ss -Hltn 'sport = :" + TUNNEL1_PORT + "'").contains("127.0.0.1:" + TUNNEL1_PORT)
                            && Duration.between(frozen, Instant.now()).toSeconds() < 30) {
                        Thread.sleep(100);
                    }
                    Duration freed = Duration.between(frozen, Instant.now());
                    String journal = bastion.exec(10, "journalctl", "-u", "lifeline-tunnel-watchdog", "--no-pager").output();
                    System.out.printf("BootedBastionIT: the watchdog freed the frozen tunnel's port %d ms after SIGSTOP%n", freed.toMillis());
                    assertThat(freed).as("port freed; the watchdog's journal:\n%s", journal).isLessThanOrEqualTo(Duration.ofSeconds(5));
                    assertThat(journal).contains("health port " + healthPort).contains("ended its sshd session");
                } finally {
                    Tools.run(5, List.of("kill", "-CONT", String.valueOf(t1.process().pid())));
                }
            }
        }
    }

    @Test
    void aTunnelKeyGetsNoShellNoCommandNoSftp() {
        // Each attempt must get past authentication (the key is the tunnel user's) and be refused after it.
        Tools.Result shell = tunnel1.ssh("tunnel1", List.of("-tt"));
        assertThat(shell.exitCode()).as(shell.toString()).isNotZero();
        assertThat(shell.output()).doesNotContain("Permission denied").doesNotContain("tunnel1@lifeline");
        Tools.Result command = tunnel1.ssh("tunnel1", List.of(), "echo", "tunnel-ran-a-command");
        assertThat(command.exitCode()).as(command.toString()).isNotZero();
        assertThat(command.output()).doesNotContain("Permission denied").doesNotContain("tunnel-ran-a-command");
        Tools.Result sftp = tunnel1.sftp("tunnel1", "ls /\n");
        assertThat(sftp.exitCode()).as(sftp.toString()).isNotZero();
        assertThat(sftp.output()).doesNotContain("Permission denied").doesNotContain("etc");
    }

    @Test
    void aTunnelKeyMayNotListenOnAnotherPortOrOnAllAddresses() throws Exception {
        for (String spec : List.of("127.0.0.1:" + TUNNEL2_PORT + ":127.0.0.1:" + home1.port(),
                "0.0.0.0:" + TUNNEL1_PORT + ":127.0.0.1:" + home1.port())) {
            try (var t = tunnel1.background("tunnel1", List.of("-o", "ExitOnForwardFailure=yes", "-R", spec),
                    client.resolve("t1-refused.log"))) {
                assertThat(t.exitsWithin(15_000)).as("ssh -R %s must be refused and exit", spec).isTrue();
                assertThat(t.output()).contains("remote port forwarding failed");
            }
        }
    }

    @Test
    void aTunnelKeyMayNotForwardLocallyOrBySocks() throws Exception {
        int local = freeLocalPort();
        try (var t = tunnel1.background("tunnel1", List.of("-L", "127.0.0.1:" + local + ":127.0.0.1:" + SSH_PORT),
                client.resolve("t1-local.log"))) {
            String answer = LocalForward.talkThrough(local, "\r\n".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(15));
            assertThat(answer).as("-L to the bastion's own sshd must carry nothing; ssh said: %s", t.output()).doesNotContain("SSH-2.0");
        }
        int socks = freeLocalPort();
        try (var t = tunnel1.background("tunnel1", List.of("-D", "127.0.0.1:" + socks), client.resolve("t1-socks.log"))) {
            byte[] connect = {4, 1, (byte) (SSH_PORT >> 8), (byte) SSH_PORT, 127, 0, 0, 1, 0};
            String answer = LocalForward.talkThrough(socks, connect, Duration.ofSeconds(15));
            assertThat(answer.length() >= 2 && answer.charAt(1) == 0x5a).as("SOCKS request granted; ssh said: %s", t.output()).isFalse();
        }
    }

    @Test
    void anAdminLoginSendsTheSmsToTwilio() throws Exception {
        Tools.Result r = admin.ssh("admin", List.of(), "true");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Instant until = Instant.now().plusSeconds(20);
        List<ServeEvent> sms = List.of();
        while (Instant.now().isBefore(until)) {
            // the home watch may have sent its dark SMS meanwhile (no tunnel for 5 min since it started)
            sms = twilio.getAllServeEvents().stream()
                    .filter(e -> e.getRequest().getUrl().equals("/2010-04-01/Accounts/" + SID + "/Messages.json"))
                    .filter(e -> java.net.URLDecoder.decode(e.getRequest().getBodyAsString(), StandardCharsets.UTF_8).contains("SSH login"))
                    .toList();
            if (!sms.isEmpty()) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(sms).as("SMS at the Twilio stub; the alert's log:\n%s",
                bastion.exec(10, "journalctl", "-t", "lifeline-login-alert", "--no-pager").output()).isNotEmpty();
        String body = java.net.URLDecoder.decode(sms.get(0).getRequest().getBodyAsString(), StandardCharsets.UTF_8);
        assertThat(body).contains("To=+14155550111").contains("lifeline: SSH login admin from " + BootedBastion.HOST
                + " on lifeline-" + spec.stackName());
    }

    @Test
    void theSecurityLogIsForwardedToTheLogTargetAndNothingElse() throws Exception {
        // auth, authpriv, daemon and kern are forwarded (the evidence of a break-in); a user's own lines are not.
        // Sent in this order, the auth line arriving proves the user line would have been there before it.
        String kept = "lifeline-it-user-" + System.nanoTime();
        String forwarded = "lifeline-it-auth-" + System.nanoTime();
        bastion.sh("logger -p user.notice -t lifeline-it " + kept + " && logger -p auth.notice -t lifeline-it " + forwarded);
        assertThat(syslog.await(forwarded, Duration.ofSeconds(20))).as("lines at the receiver: %s", syslog.lines()).isTrue();
        assertThat(syslog.lines()).as("a user.notice line stays on the bastion").noneMatch(l -> l.contains(kept));
    }

    @Test
    void unattendedUpgradesRunsClean() {
        Tools.Result r = bastion.exec(300, "unattended-upgrade", "--dry-run", "--debug");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output()).doesNotContain("Traceback").doesNotContainPattern("(?m)^(ERROR|WARNING)");
        assertThat(r.output()).contains("Allowed origins are:");
    }

    /**
     * Issue 15, part 3: an update whose package ships a new version of a config file the bastion changed is
     * installed, and the bastion's file stays. First without our unattended-upgrades settings (the update is held
     * back, as it was before them), then with them. The packages are Debian's, rebuilt one version up with a changed
     * default (newer-builds.sh); openssh-server's sshd_config is not a conffile but a ucf-managed file, so its
     * template changes too. Runs last: it restarts sshd and changes the machine's packages.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void anUpdateChangingAConfigFileWeChangedIsInstalledAndOursStays() throws Exception {
        // package -> the files of ours it would replace; the last of openssh-server's is ucf's template for sshd_config
        Map<String, List<String>> changed = Map.of(
                "nginx-common", List.of(BastionFiles.NGINX_CONF),
                "nftables", List.of(BastionFiles.NFTABLES),
                "openssh-server", List.of("/etc/pam.d/sshd", "/usr/share/openssh/sshd_config"));
        List<String> ours = List.of(BastionFiles.NGINX_CONF, BastionFiles.NFTABLES, "/etc/pam.d/sshd", BastionFiles.SSHD_CONFIG);
        for (String pkg : changed.keySet()) {
            String conffiles = bastion.sh("dpkg-query -W -f '${Conffiles}' " + pkg);
            String file = changed.get(pkg).get(0);
            assertThat(conffiles).as("%s is a conffile of %s on Debian 12", file, pkg).contains(" " + file + " ");
            String md5 = bastion.sh("md5sum " + file).split(" ")[0];
            assertThat(conffiles).as("the bastion changed %s (else the update replaces it, as it should)", file)
                    .doesNotContain(file + " " + md5);
        }
        String before = bastion.sh("sha256sum " + String.join(" ", ours));
        // nothing else may hold apt's lock while we run it
        bastion.sh("systemctl stop apt-daily.timer apt-daily-upgrade.timer apt-daily.service apt-daily-upgrade.service");

        Path script = client.resolve("newer-builds.sh");
        try (var in = BootedBastionIT.class.getResourceAsStream("/newer-builds.sh")) {
            Files.write(script, in.readAllBytes());
        }
        bastion.copyIn(script, "/root/newer-builds.sh");
        List<String> build = new ArrayList<>(List.of("sh", "/root/newer-builds.sh", "/var/tmp/upgrade-proof"));
        changed.forEach((pkg, files) -> build.add(pkg + ":" + String.join(":", files)));
        Tools.Result built = bastion.exec(300, build.toArray(String[]::new));
        assertThat(built.exitCode()).as(built.toString()).isZero();
        System.out.println("newer builds: " + built.output().trim());

        // Without our settings: held back, as before them (and as the test would find if they were dropped).
        Tools.Result held;
        bastion.sh("mv /etc/apt/apt.conf.d/52lifeline-unattended-upgrades /root/");
        try {
            held = bastion.exec(600, "unattended-upgrade", "-v");
        } finally {
            bastion.sh("mv /root/52lifeline-unattended-upgrades /etc/apt/apt.conf.d/");
        }
        assertThat(held.output()).as("%s", held).contains("Package nginx-common has conffile prompt");
        for (String pkg : changed.keySet()) {
            assertThat(version(pkg)).as("%s without our settings", pkg).doesNotEndWith("+lifeline1");
        }

        Tools.Result upgraded = bastion.exec(600, "unattended-upgrade", "-v");
        System.out.println("unattended-upgrade: " + upgraded);
        assertThat(upgraded.exitCode()).as(upgraded.toString()).isZero();
        assertThat(upgraded.output()).doesNotContain("conffile prompt").doesNotContain("Traceback");
        for (String pkg : changed.keySet()) {
            assertThat(version(pkg)).as("%s upgraded", pkg).endsWith("+lifeline1");
        }
        assertThat(bastion.sh("sha256sum " + String.join(" ", ours))).as("our config files").isEqualTo(before);
        for (String file : List.of(BastionFiles.NGINX_CONF, BastionFiles.NFTABLES, "/etc/pam.d/sshd")) {
            assertThat(bastion.read(file + ".dpkg-dist")).as("the new default beside ours").contains("lifeline-upgrade-proof");
        }
        // and the machine still works as ours: sshd with our config, the firewall, the web front
        assertThat(bastion.sh("sshd -T | grep -i '^port '").trim()).isEqualTo("port " + SSH_PORT);
        assertThat(bastion.sh("systemctl is-active ssh nginx nftables")).isEqualTo("active\nactive\nactive\n");
        Tools.Result login = admin.ssh("admin", List.of(), "sudo", "-n", "true");
        assertThat(login.exitCode()).as(login.toString()).isZero();
    }

    private String version(String pkg) {
        return bastion.sh("dpkg-query -W -f '${Version}' " + pkg);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** HTTPS through the bastion's nginx until it answers {@code expected} or the bound passes. */
    private String awaitHttps(String expected, Duration bound) throws InterruptedException {
        Instant until = Instant.now().plus(bound);
        String last = "";
        while (Instant.now().isBefore(until)) {
            // -k: the bastion's certificate is the self-signed one lifeline-tls-setup makes when no domain is set
            Tools.Result r = Tools.run(10, List.of(Tools.which("curl"), "-sk", "--max-time", "5", "https://" + bastion.address() + "/"));
            last = r.toString();
            if (r.exitCode() == 0 && r.output().equals(expected)) {
                return r.output();
            }
            Thread.sleep(300);
        }
        return last;
    }

    private static int freeLocalPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }


    /** Twilio's API as the bastion sees it: api.twilio.com resolves to the host, with a certificate the machine trusts. */
    static final class TwilioStub {
        static WireMockServer start(Path dir) {
            Path key = dir.resolve("twilio.key");
            Path cert = dir.resolve("twilio.crt");
            Path p12 = dir.resolve("twilio.p12");
            run(List.of(Tools.which("openssl"), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "2", "-subj", "/CN=api.twilio.com", "-addext", "subjectAltName=DNS:api.twilio.com",
                    "-keyout", key.toString(), "-out", cert.toString()));
            run(List.of(Tools.which("openssl"), "pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(),
                    "-out", p12.toString(), "-passout", "pass:lifeline"));
            WireMockServer w = new WireMockServer(options().bindAddress(BootedBastion.HOST).httpDisabled(true).httpsPort(443)
                    .keystorePath(p12.toString()).keystoreType("PKCS12").keystorePassword("lifeline").keyManagerPassword("lifeline"));
            w.start();
            w.stubFor(post(urlPathMatching("/2010-04-01/Accounts/.*/Messages.json"))
                    .willReturn(aResponse().withStatus(201).withBody("{\"sid\":\"SM1\"}")));
            return w;
        }

        /** The test plays the Internet's DNS and PKI for the one name the bastion calls out to. */
        static void trustInside(BootedBastion machine, Path dir) throws IOException {
            String pem = Files.readString(dir.resolve("twilio.crt"));
            machine.sh("cat > /usr/local/share/ca-certificates/lifeline-ci-twilio.crt <<'EOF'\n" + pem + "EOF\n"
                    + "update-ca-certificates >/dev/null && echo '" + BootedBastion.HOST + " api.twilio.com' >> /etc/hosts");
        }

        private static void run(List<String> c) {
            Tools.Result r = Tools.run(30, c);
            if (r.exitCode() != 0) {
                throw new IllegalStateException(c + ": " + r);
            }
        }
    }

    /** A syslog receiver over TCP (octet-stuffed lines, as rsyslog's omfwd sends them). */
    static final class SyslogReceiver implements AutoCloseable {
        private final ServerSocket server;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        private SyslogReceiver(ServerSocket server) {
            this.server = server;
        }

        static SyslogReceiver start(String host, int port) throws IOException {
            SyslogReceiver r = new SyslogReceiver(new ServerSocket(port, 16, InetAddress.getByName(host)));
            Thread accept = new Thread(() -> {
                while (!r.server.isClosed()) {
                    try {
                        Socket s = r.server.accept();
                        Thread reader = new Thread(() -> {
                            try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                                for (String line; (line = in.readLine()) != null; ) {
                                    r.lines.add(line);
                                }
                            } catch (IOException ignored) {
                                // the sender went away
                            }
                        });
                        reader.setDaemon(true);
                        reader.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
            return r;
        }

        boolean await(String marker, Duration bound) throws InterruptedException {
            Instant until = Instant.now().plus(bound);
            while (Instant.now().isBefore(until)) {
                if (lines.stream().anyMatch(l -> l.contains(marker))) {
                    return true;
                }
                Thread.sleep(200);
            }
            return false;
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
