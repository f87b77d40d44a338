package dev.lifeline.supervisor.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.TestKeys;

/**
 * The dead-man's switch of the real {@code lifeline.jar run}, against a WireMock on loopback standing in for
 * Healthchecks: success pings about once a period; {@code /fail} pings while an outage is declared (the primary line's
 * TCP probe target, a loopback listener, closed by the test); success again once it is over; and after {@code kill -9}
 * nothing at all — which is what lets the outside service notice a dark house.
 * <p>
 * The bastion is {@code always-on} on the {@code local} provider and "runs" as a loopback listener, so the outage
 * policy declares and ends outages without a cloud (it ends one {@code recoveryHold} after the line is back); the
 * tunnel to it never comes up, which the heartbeat does not look at.
 */
class DeadMansSwitchIT {
    private static final String UUID = "5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278";
    private static final String PING = "/ping/" + UUID;
    private static final Duration EVERY = Duration.ofSeconds(1);
    /** A cold JVM with the unit's flags on a busy 2-core machine: the bound ends a broken run, the wait is for the event. */
    private static final Duration SLOW_MACHINE_BOUND = Duration.ofSeconds(90);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private WireMockServer service;
    private ServerSocket bastion;
    private ServerSocket primaryTarget;
    private int primaryPort;
    private int statusPort;
    private SupervisorProcess supervisor;

    @BeforeEach
    void start() throws IOException {
        service = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        service.start();
        service.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("OK")));
        bastion = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        primaryPort = FreePorts.next();
        primaryTarget = listen(primaryPort);
        statusPort = FreePorts.next();
    }

    @AfterEach
    void stop() throws IOException {
        if (supervisor != null) {
            supervisor.close();
        }
        primaryTarget.close();
        bastion.close();
        service.stop();
    }

    @Test
    void pingsEveryPeriodFailDuringAnOutageRecoverAndStopDeadAtKillNine() throws Exception {
        supervisor = SupervisorProcess.start(config(), dir);

        await("five success pings", () -> pings(PING).size() >= 5);
        List<Long> gaps = gaps(pings(PING));
        assertThat(median(gaps)).as("ms between success pings, every 1 s: %s", gaps).isBetween(700L, 1400L);
        assertThat(pings(PING + "/fail")).as("no trouble yet").isEmpty();

        primaryTarget.close();
        Duration toFail = await("a /fail ping during the outage", () -> !pings(PING + "/fail").isEmpty());
        await("three /fail pings during the outage", () -> pings(PING + "/fail").size() >= 3);
        assertThat(pings(PING + "/fail")).allSatisfy(r -> assertThat(r.getBodyAsString()).startsWith("outage: primary line down since "));
        JsonNode during = status().get("heartbeat");
        assertThat(during.get("configured").asBoolean()).isTrue();
        assertThat(during.get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(during.get("trouble").asText()).startsWith("outage: primary line down");
        assertThat(during.toString()).doesNotContain(UUID);

        int failsBeforeRecovery = pings(PING + "/fail").size();
        primaryTarget = listen(primaryPort);
        Duration toUp = await("a success ping after the outage ended", () -> {
            List<LoggedRequest> all = inOrder(service.getAllServeEvents().stream().map(e -> e.getRequest()).toList());
            return all.size() > 0 && all.get(all.size() - 1).getUrl().equals(PING) && pings(PING + "/fail").size() >= failsBeforeRecovery;
        });
        // measured, for the record: 3 rounds of 300 ms to declare the outage; back after 3 good rounds, recoveryHold 1 s and
        // the policy's 5 s tick
        System.out.printf("success ping gaps %s ms; first /fail %d ms after the line went; success again %d ms after it came back%n",
                gaps, toFail.toMillis(), toUp.toMillis());
        // The stub logs a ping when it arrives; the heartbeat records it once the answer is back, a moment later (seen
        // under stress-ng: /status still said the last /fail). Wait for that, not for the request alone.
        await("/status: the success ping delivered", () -> {
            JsonNode h = statusQuietly().path("heartbeat");
            return h.path("lastSignal").asText().equals("up") && h.path("lastResult").asText().equals("delivered");
        });
        CliRun shown = CliRun.of("status", "--config", dir.resolve("lifeline.yaml").toString());
        assertThat(shown.out()).as("%s", shown).containsPattern("heartbeat 127\\.0\\.0\\.1 every 1s: up delivered at 20");
        assertThat(metrics()).containsPattern("lifeline_heartbeat_last_success_timestamp_seconds\\{site=\"home\"} 1\\.[0-9]+E9")
                .containsPattern("lifeline_heartbeat_failures_total\\{site=\"home\"} [0-9.]+")
                .contains("lifeline_heartbeat_period_seconds{site=\"home\"} 1.0");

        // the service refuses (a deleted check answers 404): counted, shown, and `lifeline status` says it is trouble
        // (a ping may have failed before, on a busy machine, at a 1 s timeout: counted from here)
        long failedBefore = failures(metrics());
        service.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404).withBody("not found")));
        await("a refused ping counted in /metrics", () -> failures(metricsQuietly()) > failedBefore);
        await("the refusal in /status", () -> statusQuietly().path("heartbeat").path("lastError").asText().equals("HTTP 404"));
        CliRun refused = CliRun.of("status", "--config", dir.resolve("lifeline.yaml").toString());
        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(1);
        assertThat(refused.out()).containsPattern("heartbeat 127\\.0\\.0\\.1 every 1s: up failed at 20.* \\(HTTP 404\\), last delivered 20");

        Process p = supervisor.process();
        p.destroyForcibly();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        // a request already on the wire when the process died is logged within moments; then the count is final
        Thread.sleep(500);
        int atDeath = service.getAllServeEvents().size();
        Thread.sleep(EVERY.multipliedBy(4).toMillis());
        assertThat(service.getAllServeEvents()).as("nothing after kill -9, four periods on").hasSize(atDeath);
        assertThat(supervisor.log()).as("the check's UUID is its credential").doesNotContain(UUID)
                .contains("heartbeat to 127.0.0.1 every 1.0 s (healthchecks)");
    }

    private Path config() throws IOException {
        Path key = TestConfigs.privateKey(dir.resolve("t1"), "t1");
        Path file = dir.resolve("lifeline.yaml");
        Files.writeString(file, """
                bastion: {provider: local, host: 127.0.0.1, port: %d, hostKey: "%s", mode: always-on}
                tunnels:
                  - {name: primary, user: t1, key: %s, remote: "127.0.0.1:%d", local: "127.0.0.1:%d"}
                links:
                  primary: {probes: ["tcp://127.0.0.1:%d"], interval: 300ms, timeout: 200ms, down: 3, up: 3}
                policy: {recoveryHold: 1s, minOn: 0s}
                stateDir: %s
                status: {listen: "127.0.0.1:%d", site: home}
                heartbeat:
                  url: "%s%s"
                  every: 1s
                """.formatted(bastion.getLocalPort(), TestKeys.ed25519("bastion").publicLine().replace(" bastion", ""), key,
                FreePorts.next(), FreePorts.next(), primaryPort, dir.resolve("state"), statusPort, "http://127.0.0.1:" + service.port(), PING));
        return file;
    }

    private Duration await(String what, java.util.function.BooleanSupplier condition) {
        try {
            return Await.until(what, SLOW_MACHINE_BOUND, () -> {
                if (!supervisor.process().isAlive()) {
                    throw new AssertionError("the supervisor exited " + supervisor.process().exitValue() + ":\n" + supervisor.log());
                }
                return condition.getAsBoolean();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nrequests: " + inOrder(service.getAllServeEvents().stream().map(s -> s.getRequest()).toList())
                    .stream().map(LoggedRequest::getUrl).toList() + "\nsupervisor log:\n" + supervisor.log(), e);
        }
    }

    private List<LoggedRequest> pings(String path) {
        return inOrder(service.getAllServeEvents().stream().map(e -> e.getRequest()).filter(r -> r.getUrl().equals(path)).toList());
    }

    private static List<LoggedRequest> inOrder(List<LoggedRequest> requests) {
        List<LoggedRequest> sorted = new ArrayList<>(requests);
        sorted.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return sorted;
    }

    private static List<Long> gaps(List<LoggedRequest> pings) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < pings.size(); i++) {
            gaps.add(pings.get(i).getLoggedDate().getTime() - pings.get(i - 1).getLoggedDate().getTime());
        }
        return gaps;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private JsonNode status() throws Exception {
        return new ObjectMapper().readTree(get("/status"));
    }

    private String metrics() throws Exception {
        return get("/metrics");
    }

    private static long failures(String metrics) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("lifeline_heartbeat_failures_total\\{site=\"home\"} ([0-9.]+)").matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    private JsonNode statusQuietly() {
        try {
            return status();
        } catch (Exception e) {
            return new ObjectMapper().createObjectNode();
        }
    }

    private String metricsQuietly() {
        try {
            return metrics();
        } catch (Exception e) {
            return "";
        }
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
        return r.body();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }
}
