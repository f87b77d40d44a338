package dev.lifeline.supervisor.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.testing.BootedBastion;
import dev.lifeline.templates.testing.SysctlFile;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.TestStacks;
import dev.lifeline.templates.testing.Tools;
import dev.lifeline.supervisor.testing.BuiltPackage;

/**
 * The home side as a user installs it: the .deb the build makes, installed with apt into a booted Debian 12 (the
 * same image as the bastion's, ci/bastion-boot.sh), configured, and started by systemd as {@code lifeline.service}
 * with its hardening as shipped; it holds both tunnels to a booted bastion made from the user-data {@code pulumi up}
 * passes, and {@code systemctl stop} frees the bastion's ports at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HomeOnBootedDebianIT {
    private static final int SSH_PORT = 47022;
    private static final int TUNNEL1_PORT = 29000;
    private static final int TUNNEL2_PORT = 39000;
    private static final String HOME_PAGE = "home-on-booted-debian";

    private final TestKeys tunnel1Key = TestKeys.ed25519("tunnel1@home");
    private final TestKeys tunnel2Key = TestKeys.ed25519("tunnel2@home");

    private Path network;
    private BootedBastion bastion;
    private BootedBastion home;
    private Instant started;

    @BeforeAll
    void bootBothSides() throws Exception {
        BootedBastion.assumeBootable();
        Path deb = BuiltPackage.deb();
        started = Instant.now();
        network = BootedBastion.network();
        try {
            BastionSpec spec = BastionSpecReader.read(TestStacks.validAws()
                    .set("sshPort", String.valueOf(SSH_PORT))
                    .json("tunnels", List.of(
                            Map.of("name", "tunnel1", "port", TUNNEL1_PORT, "publicKey", tunnel1Key.publicLine()),
                            Map.of("name", "tunnel2", "port", TUNNEL2_PORT, "publicKey", tunnel2Key.publicLine())))
                    .remove("twilio").remove("twilioAuthToken"));
            bastion = BootedBastion.boot(network, "bastion", 1, spec, BootedBastion.UserDataForm.EC2_GZIP);
            home = BootedBastion.boot(network, "home", 3, "#cloud-config\nhostname: home\nmanage_etc_hosts: true\n"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));

            Instant t0 = Instant.now();
            home.copyIn(deb.toAbsolutePath(), "/root/" + deb.getFileName());
            Tools.Result install = home.exec(600, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y",
                    "-q", "/root/" + deb.getFileName());
            assertThat(install.exitCode()).as("apt-get install the .deb: %s", install).isZero();
            System.out.printf("timing: apt-install-deb %.1fs%n", Duration.between(t0, Instant.now()).toMillis() / 1000.0);

            // What the README has a user do after installing: the keys, the config, then enable the service.
            writeKey(home, "/etc/lifeline/keys/tunnel1", tunnel1Key);
            writeKey(home, "/etc/lifeline/keys/tunnel2", tunnel2Key);
            String config = """
                    bastion:
                      provider: local
                      host: %s
                      port: %d
                      hostKey: "%s"
                    tunnels:
                      - name: primary
                        user: tunnel1
                        key: /etc/lifeline/keys/tunnel1
                        remote: 127.0.0.1:%d
                        local: 127.0.0.1:8080
                      - name: secondary
                        user: tunnel2
                        key: /etc/lifeline/keys/tunnel2
                        remote: 127.0.0.1:%d
                        local: 127.0.0.1:8080
                    stateDir: /var/lib/lifeline
                    """.formatted(bastion.address(), SSH_PORT, spec.hostKey().knownHostsLine(bastion.address(), SSH_PORT),
                    TUNNEL1_PORT, TUNNEL2_PORT);
            home.sh("cat > /etc/lifeline/lifeline.yaml <<'EOF'\n" + config + "EOF\n");
            Tools.Result check = home.exec(120, "runuser", "-u", "lifeline", "--", "lifeline", "check-config", "/etc/lifeline/lifeline.yaml");
            assertThat(check.exitCode()).as("lifeline check-config: %s", check).isZero();
            // the home service the tunnels expose
            home.sh("mkdir -p /srv/home && printf '" + HOME_PAGE + "' > /srv/home/index.html && systemd-run --quiet --unit=home-web"
                    + " --property=DynamicUser=yes python3 -m http.server 8080 --bind 127.0.0.1 --directory /srv/home");
            home.sh("systemctl enable --now lifeline");
        } catch (Exception | AssertionError e) {
            BootedBastion.stop(network);
            throw e;
        }
        System.out.printf("timing: home-setup-total %.1fs%n", Duration.between(started, Instant.now()).toMillis() / 1000.0);
    }

    @AfterAll
    void stopAll() {
        if (started != null) {
            System.out.printf("timing: home-it-total %.1fs%n", Duration.between(started, Instant.now()).toMillis() / 1000.0);
        }
        BootedBastion.stop(network);
    }

    private static void writeKey(BootedBastion machine, String path, TestKeys key) {
        machine.sh("umask 077 && cat > " + path + " <<'EOF'\n" + key.privatePem() + "EOF\nchown lifeline:lifeline " + path);
    }

    @Test
    @Order(1)
    void theServiceRunsUnderSystemdAsLifeline() throws Exception {
        await("lifeline.service active", () -> home.exec(10, "systemctl", "is-active", "lifeline").output().trim().equals("active"),
                Duration.ofSeconds(30));
        String pid = home.sh("systemctl show -p MainPID --value lifeline").trim();
        assertThat(home.sh("ps -o user= -p " + pid).trim()).isEqualTo("lifeline");
        assertThat(home.sh("systemctl is-enabled lifeline").trim()).isEqualTo("enabled");
    }

    @Test
    @Order(1)
    void thePackagesKernelSettingsAreInForceAtOnce() throws Exception {
        // the postinst applied /usr/lib/sysctl.d/60-lifeline.conf; the machine has not rebooted since the install
        Map<String, String> settings = SysctlFile.entries(home.sh("cat /usr/lib/sysctl.d/60-lifeline.conf"));
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            assertThat(home.sh("sysctl -n " + setting.getKey()).trim()).as("sysctl %s", setting.getKey()).isEqualTo(setting.getValue());
        }
        assertThat(settings).isNotEmpty();
    }

    @Test
    @Order(2)
    void itHoldsBothTunnelsToTheBootedBastionAndHttpsReachesHome() throws Exception {
        await("both tunnel ports listening on the bastion", () -> listening(TUNNEL1_PORT) && listening(TUNNEL2_PORT),
                Duration.ofSeconds(60));
        Tools.Result r = Tools.run(20, List.of(Tools.which("curl"), "-sk", "--max-time", "10", "https://" + bastion.address() + "/"));
        assertThat(r.output()).as("HTTPS through the bastion's nginx: %s", r).isEqualTo(HOME_PAGE);
    }

    @Test
    @Order(3)
    void stoppingTheServiceFreesTheBastionsPortsAtOnce() throws Exception {
        await("both tunnel ports listening on the bastion", () -> listening(TUNNEL1_PORT) && listening(TUNNEL2_PORT),
                Duration.ofSeconds(60));
        Instant t0 = Instant.now();
        home.sh("systemctl stop lifeline");
        Duration stop = Duration.between(t0, Instant.now());
        await("both tunnel ports freed on the bastion", () -> !listening(TUNNEL1_PORT) && !listening(TUNNEL2_PORT),
                Duration.ofSeconds(20));
        Duration freed = Duration.between(t0, Instant.now());
        System.out.printf("timing: systemctl-stop %.1fs, ports freed after %.1fs%n", stop.toMillis() / 1000.0, freed.toMillis() / 1000.0);
        assertThat(freed).as("ports freed after `systemctl stop lifeline`").isLessThan(Duration.ofSeconds(5));
    }

    private boolean listening(int port) {
        return !bastion.sh("ss -Hltn 'sport = :" + port + "'").isBlank();
    }

    private void await(String what, java.util.function.BooleanSupplier condition, Duration bound) throws InterruptedException {
        Instant until = Instant.now().plus(bound);
        while (Instant.now().isBefore(until)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(what + " not within " + bound + "; lifeline's journal:\n"
                + home.exec(20, "journalctl", "-u", "lifeline", "--no-pager", "-n", "60").output());
    }
}
