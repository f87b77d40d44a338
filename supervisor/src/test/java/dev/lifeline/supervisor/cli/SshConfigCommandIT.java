package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import picocli.CommandLine;

import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.supervisor.tunnel.TunnelState;
import dev.lifeline.supervisor.tunnel.TunnelSupervisor;
import dev.lifeline.supervisor.tunnel.TunnelListener;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.TestUsers;
import dev.lifeline.templates.testing.Tools;

/**
 * Issue 18's admin path, end to end on loopback: the bastion is Debian's real sshd from the rendered templates, the
 * supervisor's real tunnel carries the bastion port to "the home's SSH" (here the same sshd, so its host key is the
 * one the home would present), and the real OpenSSH client runs `ssh -F <what lifeline ssh-config printed> home`.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshConfigCommandIT {
    private TestBastion bastion;
    private TunnelSupervisor tunnels;
    private Path dir;
    private Path configFile;
    private Path hostKeys;

    @BeforeAll
    void start() throws Exception {
        TestUsers.requirePresent();
        bastion = TestBastion.start(List.of());
        dir = bastion.root().path("/laptop");
        hostKeys = Files.createDirectories(bastion.root().path("/home-etc-ssh"));
        // the home's host key file, as openssh-server keeps it: here the key of the sshd the tunnel leads to
        Files.writeString(hostKeys.resolve("ssh_host_ed25519_key.pub"), bastion.spec().hostKey().publicKey().line() + "\n");
        configFile = bastion.root().write("/etc/lifeline/lifeline.yaml", """
                bastion:
                  provider: local
                  host: 127.0.0.1
                  port: %d
                  hostKey: "%s"
                tunnels:
                  - name: home
                    user: %s
                    key: %s
                    remote: 127.0.0.1:%d
                    local: 127.0.0.1:%d
                    service: ssh
                """.formatted(bastion.sshPort(), bastion.spec().hostKey().knownHostsLine("127.0.0.1", bastion.sshPort()),
                TestUsers.TUNNEL1, bastion.key(0), bastion.tunnelPort(0), bastion.sshPort()), "0644");
        tunnels = TunnelSupervisor.start(ConfigLoader.load(configFile).tunnelPlan(), new TunnelListener() { }, Clock.systemUTC(), new Random(1));
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (tunnels.states().get(0).status() != TunnelState.Status.UP) {
            assertThat(Instant.now()).as("the ssh tunnel is up within 30 s: %s", tunnels.states()).isBefore(until);
            Thread.sleep(100);
        }
    }

    @AfterAll
    void stop() {
        if (tunnels != null) {
            tunnels.close();
        }
        if (bastion != null) {
            bastion.close();
        }
    }

    @Test
    void theAdminReachesTheHomesSshThroughTheBastionWithNoPrompt() throws Exception {
        Path file = sshConfig("--admin-user", TestUsers.ADMIN, "--user", TestUsers.ADMIN,
                "--identity", bastion.adminKey().toString(), "--host-keys", hostKeys.toString());

        // what OpenSSH makes of it
        Tools.Result g = Tools.run(20, List.of(Tools.which("ssh"), "-G", "-F", file.toString(), "home"));
        assertThat(g.exitCode()).as(g.toString()).isZero();
        assertThat(g.output()).contains("hostname 127.0.0.1\n", "port " + bastion.tunnelPort(0) + "\n",
                "proxyjump lifeline-bastion\n", "stricthostkeychecking true\n", "hostkeyalias lifeline-bastion-home\n");

        Tools.Result r = ssh(file, "home", "echo", "reached-home");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output()).contains("reached-home").doesNotContain("Warning: Permanently added");
    }

    @Test
    void aWrongHostKeyOnEitherHopIsRefused() throws Exception {
        Path good = sshConfig("--admin-user", TestUsers.ADMIN, "--user", TestUsers.ADMIN,
                "--identity", bastion.adminKey().toString(), "--host-keys", hostKeys.toString());
        String text = Files.readString(good);
        String other = TestKeys.ed25519("impostor").publicLine().split(" ")[1];
        String real = bastion.spec().hostKey().publicKey().base64();

        // the bastion's pin wrong (the first KnownHostsCommand), then the home's (the second)
        int first = text.indexOf(real);
        int second = text.indexOf(real, first + 1);
        assertThat(second).as("both pins carry the key here:%n%s", text).isPositive();
        for (int at : new int[] {first, second}) {
            Path bad = Files.writeString(dir.resolve("bad-" + at), text.substring(0, at) + other + text.substring(at + real.length()));
            Tools.Result r = ssh(bad, "home", "true");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(255);
            assertThat(r.output()).containsAnyOf("Host key verification failed", "REMOTE HOST IDENTIFICATION HAS CHANGED");
        }
    }

    @Test
    void aTunnelKeyCannotJumpToTheHome() throws Exception {
        Path file = sshConfig("--admin-user", TestUsers.TUNNEL2, "--user", TestUsers.ADMIN,
                "--identity", bastion.key(1).toString(), "--host-keys", hostKeys.toString());
        Tools.Result r = ssh(file, "home", "true");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(255);
        assertThat(r.output()).contains("administratively prohibited");
    }

    @Test
    void anSshTunnelToAnotherMachineNeedsItsHostKeyNamed() throws Exception {
        Path config = bastion.root().write("/etc/lifeline/other.yaml", Files.readString(configFile)
                .replace("local: 127.0.0.1:" + bastion.sshPort(), "local: 192.168.1.20:22"), "0644");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Lifeline()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("ssh-config", "--config", config.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("tunnel home leads to 192.168.1.20:22, another machine: give its host key with --host-key home=FILE");
        assertThat(out.toString()).isEmpty();
    }

    private Path sshConfig(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("ssh-config", "--config", configFile.toString()));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Lifeline()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args.toArray(String[]::new));
        assertThat(code).as("ssh-config: %s", err).isZero();
        return Files.writeString(dir.resolve("ssh_config-" + System.nanoTime()), out.toString());
    }

    private static Tools.Result ssh(Path config, String host, String... command) {
        List<String> c = new ArrayList<>(List.of(Tools.which("ssh"), "-F", config.toString(), "-o", "BatchMode=yes",
                "-o", "ConnectTimeout=10", host));
        c.addAll(List.of(command));
        return Tools.run(30, c);
    }
}
