package dev.lifeline.supervisor.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.TestKeys;

/**
 * One {@code GET /metrics} from the real {@code lifeline.jar run}: a config with a tunnel, a primary line probed over
 * TCP against a loopback listener (so the outage policy and the probe's series exist) and a {@code status.site}.
 * The bastion is a closed loopback port: its tunnel stays DOWN, which changes values, never which series exist. The
 * heartbeat pings a closed loopback port too: its series exist (the last success NaN, the failures counting).
 */
public final class LiveScrape {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Series that appear only after the first probe round and the first policy snapshot: the scrape waits for them. */
    private static final List<String> LATE_SERIES = List.of("lifeline_probe_rtt_seconds{", "lifeline_bastion_mode{", "lifeline_tunnel_up{",
            "lifeline_heartbeat_failures_total{");

    private LiveScrape() {
    }

    /** Starts the supervisor in {@code dir}, scrapes it once every late series is there, and stops it. */
    public static String take(Path dir, String site) throws IOException {
        int statusPort = FreePorts.next();
        try (ServerSocket primaryTarget = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path key = TestConfigs.privateKey(dir.resolve("t1"), "t1");
            Path config = dir.resolve("lifeline.yaml");
            Files.writeString(config, """
                    bastion: {provider: local, host: 127.0.0.1, port: %d, hostKey: "%s", mode: on-outage}
                    tunnels:
                      - {name: primary, user: t1, key: %s, remote: "127.0.0.1:%d", local: "127.0.0.1:%d"}
                    links:
                      primary: {probes: ["tcp://127.0.0.1:%d"], interval: 1s, timeout: 500ms}
                    stateDir: %s
                    status: {listen: "127.0.0.1:%d", sampleEvery: 1s, site: "%s"}
                    heartbeat: {url: "http://127.0.0.1:%d/ping/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278", every: 1s}
                    """.formatted(FreePorts.next(), TestKeys.ed25519("bastion").publicLine().replace(" bastion", ""), key, FreePorts.next(), FreePorts.next(),
                    primaryTarget.getLocalPort(), dir.resolve("state"), statusPort, site, FreePorts.next()));
            URI metrics = URI.create("http://127.0.0.1:" + statusPort + "/metrics");
            AtomicReference<String> body = new AtomicReference<>("");
            try (SupervisorProcess supervisor = SupervisorProcess.start(config, dir)) {
                try {
                    Await.until("every late series in /metrics", Duration.ofSeconds(60), () -> {
                        if (!supervisor.process().isAlive()) {
                            throw new AssertionError("the supervisor exited " + supervisor.process().exitValue() + ":\n" + supervisor.log());
                        }
                        body.set(get(metrics));
                        return LATE_SERIES.stream().allMatch(body.get()::contains);
                    });
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nlast scrape:\n" + body.get() + "\nsupervisor log:\n" + supervisor.log(), e);
                }
                return body.get();
            }
        }
    }

    private static String get(URI uri) {
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return ""; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
