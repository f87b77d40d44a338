package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import dev.lifeline.supervisor.demo.DemoHome;
import dev.lifeline.supervisor.demo.EmbeddedBastion;
import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.templates.spec.SshPublicKey;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.templates.testing.Await;

/** {@code lifeline status} asks the running daemon (the real jar) through its status server. */
class StatusCommandIT {
    @TempDir
    Path dir;

    private SupervisorProcess supervisor;
    private EmbeddedBastion bastion;
    private DemoHome home;
    private StringWriter out;
    private StringWriter err;

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.close();
        }
        if (bastion != null) {
            bastion.close();
        }
        if (home != null) {
            home.close();
        }
    }

    private int lifeline(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return new CommandLine(new Lifeline()).setExitCodeExceptionMapper(e -> Lifeline.BAD_INPUT)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private Path config(int statusPort, int bastionPort, String hostKey, int tunnelPort, int homePort) throws Exception {
        TestKeys key = TestKeys.ed25519("t1");
        Path keyFile = dir.resolve("t1");
        TestConfigs.privateFile(keyFile, key.privatePem());
        Files.writeString(dir.resolve("t1.pub"), key.publicLine());
        Path file = dir.resolve("lifeline.yaml");
        Files.writeString(file, """
                bastion: {provider: local, host: 127.0.0.1, port: %d, hostKey: "%s"}
                tunnels:
                  - {name: primary, user: t1, key: %s, remote: "127.0.0.1:%d", local: "127.0.0.1:%d"}
                stateDir: %s
                status: {listen: "127.0.0.1:%d"}
                """.formatted(bastionPort, hostKey, keyFile, tunnelPort, homePort, dir.resolve("state"), statusPort));
        return file;
    }

    @Test
    void statusPrintsTheDaemonsTunnelsAndExitsZeroWhenAllIsWell() throws Exception {
        int statusPort = FreePorts.next();
        int tunnelPort = FreePorts.next();
        home = new DemoHome();
        Path cfg = config(statusPort, FreePorts.next(), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPXFZ+xDGHNwBjJhY4Ym93BbrFwV763i61UyqLlWjHQF",
                tunnelPort, home.port());
        String publicKey = Files.readString(dir.resolve("t1.pub"));
        int bastionPort = Integer.parseInt(Files.readString(cfg).replaceAll("(?s).*port: (\\d+),.*", "$1"));
        bastion = new EmbeddedBastion(bastionPort, Map.of("t1", new EmbeddedBastion.TunnelUser(SshPublicKey.parse(publicKey).toPublicKey(), tunnelPort)));
        bastion.start();
        Files.writeString(cfg, Files.readString(cfg).replaceAll("hostKey: \"[^\"]*\"", "hostKey: \"" + bastion.hostKeyLine() + "\""));

        supervisor = SupervisorProcess.start(cfg, dir);
        Await.until("the tunnel up, as the daemon reports it", Duration.ofSeconds(30),
                () -> lifeline("status", "--config", cfg.toString()) == 0 && out.toString().contains("UP"));

        assertThat(out.toString()).containsPattern("tunnel +primary +UP +since ").contains("primary  not tracked").contains("alerts   0 waiting");
        assertThat(lifeline("status", "--config", cfg.toString(), "--json")).isZero();
        assertThat(out.toString()).startsWith("{").contains("\"tunnels\"").doesNotContain("PRIVATE KEY");
    }

    @Test
    void noDaemonIsExitThreeWithAHint() throws Exception {
        Path cfg = config(FreePorts.next(), FreePorts.next(), TestKeys.ed25519("h").publicLine(), FreePorts.next(), 80);

        assertThat(lifeline("status", "--config", cfg.toString())).isEqualTo(StatusCommand.NO_DAEMON);
        assertThat(err.toString()).contains("no supervisor answered at http://127.0.0.1:").contains("systemctl status lifeline");
    }
}
