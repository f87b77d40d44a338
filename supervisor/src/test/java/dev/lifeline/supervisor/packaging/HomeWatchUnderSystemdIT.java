package dev.lifeline.supervisor.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lifeline.supervisor.testing.BootedHostRoot;
import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.render.BastionLayout;
import dev.lifeline.templates.render.FileModes;
import dev.lifeline.templates.render.RenderedFile;
import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.TestStacks;
import dev.lifeline.templates.testing.Tools;

/**
 * The bastion's home watch as its rendered unit runs it, sandbox and all, under a real systemd (this machine's Debian
 * booted in a container, the harness {@link ServiceUnitSandboxIT} uses, hence this module): with no capability, a
 * read-only system and only the socket families the unit allows, ss still sees a tunnel's listener, curl still reaches
 * Twilio, and the state in /run survives a restart. HomeWatchIT checks the exact request and the timings outside
 * systemd; here only the two timings are cut (a drop-in's ExecStart), every other line is the rendered unit's.
 */
class HomeWatchUnderSystemdIT {
    private static final int TWILIO_PORT = 18080;
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theSandboxedWatchSeesTheTunnelsSendsThroughCurlAndKeepsItsStateAcrossARestart() throws Exception {
        ServiceUnitSandboxIT.requireTool("/usr/bin/systemd-nspawn", "systemd-container");
        ServiceUnitSandboxIT.requireRoot();
        BastionSpec spec = BastionSpecReader.read(TestStacks.validAws().remove("web"));
        List<RenderedFile> files = BastionFiles.render(spec, new BastionLayout("", List.of(), List.of(), List.of(),
                "http://127.0.0.1:" + TWILIO_PORT));
        Path base = Files.createDirectories(dir.resolve("boot"));
        try (BootedHostRoot host = BootedHostRoot.mount(base)) {
            Path root = host.root();
            for (RenderedFile f : files) {
                if (Set.of(BastionFiles.SMS, BastionFiles.HOME_WATCH, BastionFiles.HOME_WATCH_UNIT, BastionFiles.LOGIN_ALERT_ENV)
                        .contains(f.path())) {
                    Path p = root.resolve(f.path().substring(1));
                    Files.createDirectories(p.getParent());
                    Files.writeString(p, f.content());
                    Files.setPosixFilePermissions(p, FileModes.of(f.mode()));
                }
            }
            Path dropIn = Files.createDirectories(root.resolve("etc/systemd/system/lifeline-home-watch.service.d"));
            Files.writeString(dropIn.resolve("test-timings.conf"), "[Service]\nExecStart=\nExecStart=" + BastionFiles.HOME_WATCH
                    + " 3 1 " + spec.tunnelPorts().get(0) + " " + spec.tunnelPorts().get(1) + "\n");
            // the lab's Twilio stand-in (one JSON line per SMS), inside the container: it has loopback only
            Files.copy(Path.of("..", "ci", "lab", "labnet.py"), root.resolve("root/labnet.py"));

            host.boot();
            mustRun(host, "systemd-run", "--unit=twilio-stand-in", "python3", "/root/labnet.py", "twilio", "127.0.0.1",
                    String.valueOf(TWILIO_PORT), "/root/sms.log", "/root/twilio.fail");
            Await.until("the Twilio stand-in listens", BOUND,
                    () -> host.inside(10, "ss", "-Hltn", "sport = :" + TWILIO_PORT).output().contains("127.0.0.1:" + TWILIO_PORT));
            mustRun(host, "systemctl", "start", "lifeline-home-watch.service");

            List<JsonNode> sms = awaitSms(host, 1);
            assertThat(sms.get(0).path("to").asText()).isEqualTo(spec.twilio().get().to().get(0));
            assertThat(sms.get(0).path("body").asText()).startsWith("lifeline: home dark at " + spec.name().value() + ": no tunnel for ");

            mustRun(host, "systemd-run", "--unit=tunnel2", "python3", "-c", "import socket, time; s = socket.socket(); "
                    + "s.bind(('127.0.0.1', " + spec.tunnelPorts().get(1) + ")); s.listen(); time.sleep(300)");
            sms = awaitSms(host, 2);
            assertThat(sms.get(1).path("body").asText()).startsWith("lifeline: home back at " + spec.name().value())
                    .endsWith("(tunnel port " + spec.tunnelPorts().get(1) + ")");

            mustRun(host, "systemctl", "stop", "tunnel2.service");
            awaitSms(host, 3);
            mustRun(host, "systemctl", "restart", "lifeline-home-watch.service");
            Thread.sleep(5_000);
            assertThat(readSms(host)).as("after a restart the watch knows the home is dark and said so; its log:\n%s", journal(host))
                    .hasSize(3);

            String show = host.inside(20, "systemctl", "show", "lifeline-home-watch.service", "-p", "ActiveState",
                    "-p", "CapabilityBoundingSet", "-p", "RestrictAddressFamilies", "-p", "ProtectSystem").output();
            assertThat(show).contains("ActiveState=active").contains("CapabilityBoundingSet=\n").contains("ProtectSystem=strict");
            String pid = host.inside(10, "systemctl", "show", "-p", "MainPID", "--value", "lifeline-home-watch.service").output().strip();
            assertThat(host.inside(10, "grep", "^CapEff:", "/proc/" + pid + "/status").output())
                    .as("the watch runs as root with no capability").contains("0000000000000000");
            assertThat(journal(host)).doesNotContain("Permission denied").doesNotContain("Operation not permitted");
        }
    }

    private static List<JsonNode> awaitSms(BootedHostRoot host, int n) {
        Await.until(n + " SMS at the Twilio stand-in; the watch's log:\n" + journal(host), BOUND, () -> readSms(host).size() >= n);
        List<JsonNode> sms = readSms(host);
        assertThat(sms).as("the watch's log:\n%s", journal(host)).hasSize(n);
        return sms;
    }

    private static List<JsonNode> readSms(BootedHostRoot host) {
        Path log = host.root().resolve("root/sms.log");
        try {
            if (!Files.exists(log)) {
                return List.of();
            }
            // only whole lines: the stand-in may be writing the next one
            String text = Files.readString(log);
            List<JsonNode> out = new java.util.ArrayList<>();
            for (String line : text.substring(0, text.lastIndexOf('\n') + 1).lines().toList()) {
                out.add(JSON.readTree(line));
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void mustRun(BootedHostRoot host, String... command) {
        Tools.Result r = host.inside(60, command);
        assertThat(r.exitCode()).as("%s: %s\n%s", List.of(command), r, journal(host)).isZero();
    }

    private static String journal(BootedHostRoot host) {
        return host.inside(20, "journalctl", "-u", "lifeline-home-watch.service", "-t", "lifeline-home-watch", "--no-pager",
                "-n", "40").output();
    }
}
