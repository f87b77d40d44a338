package dev.lifeline.supervisor.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.lifeline.supervisor.demo.EmbeddedBastion;
import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.templates.testing.Await;

/**
 * The real `lifeline run` with Twilio (through the SDK) and a webhook, both at a WireMock that fails at first: three
 * alerts pending, the process killed with SIGKILL, the channels fixed, the process started again — each alert
 * arrives exactly once on each channel, counted at the stubs.
 */
class AlertDurabilityIT {
    private static final String SID = "AC" + "0123456789abcdef".repeat(2);
    private static final String TWILIO_TOKEN = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private static final String MESSAGES = "/2010-04-01/Accounts/" + SID + "/Messages.json";
    private static final List<String> TUNNELS = List.of("t1", "t2", "t3");
    private static final Duration SLOW_MACHINE_BOUND = Duration.ofSeconds(150);

    @TempDir
    Path dir;

    private WireMockServer stubs;
    private EmbeddedBastion bastion;
    private SupervisorProcess supervisor;

    @BeforeEach
    void start() {
        stubs = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        stubs.start();
        answer(500);
        bastion = new EmbeddedBastion(FreePorts.next(), Map.of());
        bastion.start();
    }

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.close();
        }
        bastion.close();
        stubs.stop();
    }

    @Test
    void threePendingAlertsSurviveKillNineAndArriveExactlyOnceOnEachChannel() throws Exception {
        // an impostor's host key on every tunnel: three urgent alerts
        supervisor = SupervisorProcess.start(config(TestKeys.ed25519("pinned").publicLine()), dir);
        // The bound only ends a broken run: the real wait is for the event. A cold JVM with the unit's flags (C2 only,
        // so it interprets for its first seconds) on a busy 2-core machine has taken over 40 s to get here.
        Await.until("all three tried on both channels (and refused)", SLOW_MACHINE_BOUND,
                () -> TUNNELS.stream().allMatch(t -> count("twilio", t) > 0 && count("webhook", t) > 0));

        Process p = supervisor.process();
        p.destroyForcibly();
        assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        try (var pending = Files.list(dir.resolve("state/outbox"))) {
            assertThat(pending.filter(f -> f.toString().endsWith(".json")).count()).isEqualTo(3);
        }

        answer(200);
        stubs.resetRequests();
        // the admin put the right host key in: no new alerts, only the three from before the crash
        supervisor = SupervisorProcess.start(config(bastion.hostKeyLine()), dir);
        // Once the outbox is empty every alert is settled on every channel: nothing is left that could be sent again.
        Await.until("the outbox empty", SLOW_MACHINE_BOUND, () -> {
            try (var left = Files.list(dir.resolve("state/outbox"))) {
                return left.noneMatch(f -> f.toString().endsWith(".json"));
            } catch (java.io.IOException e) {
                return false;
            }
        });

        for (String t : TUNNELS) {
            assertThat(count("twilio", t)).as("SMS about tunnel %s", t).isEqualTo(1);
            assertThat(count("webhook", t)).as("webhook about tunnel %s", t).isEqualTo(1);
        }
        assertThat(supervisor.log()).doesNotContain(TWILIO_TOKEN);
    }

    private void answer(int status) {
        stubs.resetMappings();
        boolean ok = status < 300;
        stubs.stubFor(post(urlEqualTo(MESSAGES)).willReturn(aResponse().withStatus(ok ? 201 : status)
                .withHeader("Content-Type", "application/json")
                .withBody(ok ? "{\"sid\":\"SM" + "0".repeat(32) + "\",\"status\":\"queued\",\"account_sid\":\"" + SID + "\"}"
                        : "{\"code\":20500,\"message\":\"Internal Server Error\",\"status\":500}")));
        stubs.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(ok ? 200 : status)));
    }

    /** Requests about one tunnel's alert that a channel received. */
    private long count(String channel, String tunnel) {
        String path = channel.equals("twilio") ? MESSAGES : "/hook";
        return stubs.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals(path))
                .map(e -> URLDecoder.decode(e.getRequest().getBodyAsString(), StandardCharsets.UTF_8))
                .filter(b -> b.contains("tunnel " + tunnel + ": the bastion presented host key")).count();
    }

    private Path config(String hostKey) throws Exception {
        StringBuilder tunnels = new StringBuilder();
        for (String t : TUNNELS) {
            Path key = dir.resolve(t);
            if (!Files.exists(key)) {
                TestConfigs.privateFile(key, TestKeys.ed25519(t).privatePem());
            }
            tunnels.append("  - {name: ").append(t).append(", user: ").append(t).append(", key: ").append(key)
                    .append(", remote: \"127.0.0.1:").append(FreePorts.next()).append("\", local: \"127.0.0.1:80\"}\n");
        }
        Path token = dir.resolve("twilio-token");
        if (!Files.exists(token)) {
            TestConfigs.privateFile(token, TWILIO_TOKEN + "\n");
        }
        Path file = dir.resolve("lifeline.yaml");
        Files.writeString(file, """
                bastion: {provider: local, host: 127.0.0.1, port: %d, hostKey: "%s"}
                tunnels:
                %sstateDir: %s
                alerts:
                  twilio: {accountSid: %s, authTokenFile: %s, from: "+14155550100", to: ["+14155550111"], endpoint: "%s"}
                  webhook: {url: "%s/hook", format: json}
                """.formatted(bastion.port(), hostKey, tunnels, dir.resolve("state"), SID, token, stubs.baseUrl(), stubs.baseUrl()));
        return file;
    }
}
