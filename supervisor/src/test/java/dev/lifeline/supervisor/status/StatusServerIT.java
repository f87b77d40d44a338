package dev.lifeline.supervisor.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.cloud.BastionMode;
import dev.lifeline.supervisor.link.BackupHealth;
import dev.lifeline.supervisor.link.LinkState;
import dev.lifeline.supervisor.link.LinkTracker;
import dev.lifeline.supervisor.link.PrimaryLinkMonitor;
import dev.lifeline.supervisor.policy.OutagePolicy;
import dev.lifeline.supervisor.probe.Probes;
import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.testing.HeadlessChromium;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.supervisor.tunnel.TunnelListener;
import dev.lifeline.supervisor.tunnel.TunnelSupervisor;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.HomeService;

/**
 * The status server in front of a running supervisor: a real tunnel to Debian's sshd as the bastion, real TCP probes
 * of the primary line against a loopback listener, backup health records as the check produces them.
 */
class StatusServerIT {
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(100);
    private static final String TOKEN = "status-token-" + Long.toHexString(new Random().nextLong()) + "-never-shown";
    /** Every series carries the site; this server runs with the default one, this machine's host name. */
    private static final String SITE = "site=\"" + StatusSection.DEFAULTS.site() + "\"";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestBastion bastion;
    private static HomeService home;
    private static TunnelSupervisor tunnels;
    private static ServerSocket primaryTarget;
    private static ExecutorService probeThreads;
    private static PrimaryLinkMonitor primary;
    private static final AtomicReference<BackupHealth> backup = new AtomicReference<>();
    private static OutagePolicy.Snapshot policy;
    private static StatusSource source;
    private static StatusServer server;

    @BeforeAll
    static void startSupervisorAndServer() throws Exception {
        Clock clock = Clock.systemUTC();
        bastion = TestBastion.start(List.of());
        home = HomeService.start("home");
        tunnels = TunnelSupervisor.start(bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0).tunnelPlan(),
                new TunnelListener() { }, clock, new Random(7));
        Await.until("tunnel up", Duration.ofSeconds(15), () -> tunnels.states().get(0).isUp());

        primaryTarget = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        probeThreads = Executors.newFixedThreadPool(2);
        primary = new PrimaryLinkMonitor(List.of(Probes.parse("tcp://127.0.0.1:" + primaryTarget.getLocalPort(), null, Duration.ofSeconds(1))),
                new LinkTracker("primary", 1, 3, 3, clock.instant()), null, Duration.ofHours(1), t -> { }, clock, probeThreads);
        Instant now = clock.instant();
        // The bastion has been running for 30 minutes of an outage that is over: the cost line has something to price.
        policy = new OutagePolicy.Snapshot(BastionMode.ON_OUTAGE, LinkState.UP, "ON", null, now.minusSeconds(600),
                now.minus(Duration.ofMinutes(30)), 1, 0, false);
        source = StatusSource.of(tunnels, primary, null, () -> policy, () -> OutboxView.EMPTY);
        source = withBackup(source);
        server = StatusServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, source,
                new History(SAMPLE_EVERY, StatusSection.T4G_NANO_PER_HOUR, 0), SAMPLE_EVERY, clock);

        for (int i = 0; i < 4; i++) {
            primary.round();
            backup.set(new BackupHealth(clock.instant(), "Starlink AS14593", 40_000_000L + i * 5_000_000L, 300_000,
                    Duration.ofMillis(40 + i * 7), List.of(), List.of("speed from " + bastion.key(0))));
            Thread.sleep(3 * SAMPLE_EVERY.toMillis());
        }
        Await.until("four primary rounds in the history", Duration.ofSeconds(5),
                () -> server.history().view(Instant.now()).primaryRttMs().size() >= 4);
    }

    /** The backup check is not run here (it needs an ISP lookup and a speed server); its records are. */
    private static StatusSource withBackup(StatusSource s) {
        return new StatusSource() {
            public List<dev.lifeline.supervisor.tunnel.TunnelState> tunnels() { return s.tunnels(); }
            public Optional<LinkState> primaryState() { return s.primaryState(); }
            public List<dev.lifeline.supervisor.probe.ProbeResult> primaryLastRound() { return s.primaryLastRound(); }
            public Optional<BackupHealth> backupHealth() { return Optional.ofNullable(backup.get()); }
            public OutagePolicy.Snapshot policy() { return s.policy(); }
            public OutboxView outbox() { return s.outbox(); }
        };
    }

    @AfterAll
    static void stopAll() throws IOException {
        if (server != null) {
            server.close();
        }
        if (tunnels != null) {
            tunnels.close();
        }
        if (probeThreads != null) {
            probeThreads.shutdownNow();
        }
        if (primaryTarget != null) {
            primaryTarget.close();
        }
        if (home != null) {
            home.close();
        }
        if (bastion != null) {
            bastion.close();
        }
    }

    private static HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsParseAsPrometheusTextAndCarryTheTunnelAndProbeGauges() throws Exception {
        HttpResponse<String> r = get(server.uri().resolve("/metrics"), null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        List<PrometheusText.Sample> samples = PrometheusText.parse(r.body());
        assertThat(samples).as("the tunnel is up, so its gauge is 1")
                .contains(new PrometheusText.Sample("lifeline_tunnel_up", SITE + ",tunnel=\"primary\"", 1.0));
        assertThat(samples).as("the bastion runs, the primary is up, no outage")
                .contains(new PrometheusText.Sample("lifeline_bastion_running", SITE, 1.0),
                        new PrometheusText.Sample("lifeline_primary_up", SITE, 1.0),
                        new PrometheusText.Sample("lifeline_outage_active", SITE, 0.0));
        assertThat(samples).as("bytes through the tunnel are counted")
                .anySatisfy(s -> {
                    assertThat(s.name()).isEqualTo("lifeline_tunnel_bytes_in_total");
                    assertThat(s.value()).isPositive();
                });
        assertThat(samples).as("the probe's round trip, in seconds, and the backup line's last check")
                .anySatisfy(s -> assertThat(s.name()).isEqualTo("lifeline_probe_rtt_seconds"))
                .contains(new PrometheusText.Sample("lifeline_backup_download_bytes_per_second", SITE, 55_000_000.0 / 8))
                .anySatisfy(s -> assertThat(s.name()).startsWith("jvm_memory_used"));
        assertThat(r.body()).doesNotContain(bastion.key(0).toString());
    }

    @Test
    void statusShowsTheRunningSupervisorAndNoSecret() throws Exception {
        HttpResponse<String> r = get(server.uri().resolve("/status"), null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"name\":\"primary\"", "\"status\":\"UP\"", "\"isp\":\"Starlink AS14593\"",
                "\"state\":\"ON\"", "\"runningMinutes24h\":30");
        String privateKey = Files.readString(bastion.key(0));
        String keyBody = privateKey.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThat(r.body()).as("no key material, no path to a key, only its name")
                .doesNotContain(keyBody, bastion.key(0).toString(), bastion.key(0).getParent().toString())
                .contains("speed from tunnel1");
    }

    @Test
    void aNonLoopbackAddressWithoutATokenIsRefused() {
        assertThatThrownBy(() -> StatusServer.start(new InetSocketAddress("0.0.0.0", 0), null, source,
                new History(SAMPLE_EVERY, 0, 0), SAMPLE_EVERY, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.0.0.0").hasMessageContaining("status.tokenFile");
        assertThatThrownBy(() -> new StatusSection(new InetSocketAddress("192.0.2.10", 9309), null, Duration.ofSeconds(10), 0.0084, 0))
                .isInstanceOf(ConfigValueException.class)
                .hasMessageContaining("tokenFile is required")
                .satisfies(e -> assertThat(((ConfigValueException) e).key()).isEqualTo("tokenFile"));
    }

    @Test
    void withATokenEveryRequestMustCarryIt() throws Exception {
        try (StatusServer guarded = StatusServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new BearerToken(TOKEN),
                source, new History(SAMPLE_EVERY, 0, 0), SAMPLE_EVERY, Clock.systemUTC())) {
            for (String path : List.of("/", "/status", "/history", "/metrics")) {
                URI uri = guarded.uri().resolve(path);
                assertThat(get(uri, null).statusCode()).as(path + " without a token").isEqualTo(401);
                assertThat(get(uri, "Bearer " + TOKEN + "x").statusCode()).as(path + " with a wrong token").isEqualTo(401);
                assertThat(get(uri, "Bearer " + TOKEN.substring(0, TOKEN.length() - 1)).statusCode()).as(path + " with a prefix").isEqualTo(401);
                HttpResponse<String> ok = get(uri, "Bearer " + TOKEN);
                assertThat(ok.statusCode()).as(path + " with the token").isEqualTo(200);
                assertThat(ok.body()).doesNotContain(TOKEN);
            }
            assertThat(guarded.toString()).doesNotContain(TOKEN);
        }
    }

    @Test
    void onlyGetIsAnswered() throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/status"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void aRequestNamingAnotherHostIsRefusedSoADnsRebindingPageCannotReadIt() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET /status HTTP/1.1\r\nHost: rebind.example:9309\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 403");
        }
    }

    @Test
    void thePageDrawsTheChartsFromTheRunningSupervisorWithoutTheInternet() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        String html = get(server.uri(), null).body();
        Matcher absolute = Pattern.compile("(?i)https?://").matcher(html);
        assertThat(absolute.find()).as("the page names no absolute URL (it must work with no internet)").isFalse();

        String dom = chromium.dumpDom(server.uri());

        assertThat(section(dom, "primary-rtt")).as("the primary latency chart has a line with points and dots")
                .containsPattern("<polyline points=\"[0-9.]+,[0-9.]+ [0-9.]+,[0-9.]+")
                .contains("<circle");
        assertThat(count(section(dom, "primary-rtt"), "<circle")).isGreaterThanOrEqualTo(4);
        assertThat(count(section(dom, "backup-speed"), "<circle")).as("one dot per backup check").isEqualTo(4);
        assertThat(section(dom, "timeline")).as("the tunnel lane is green, the bastion lane blue")
                .contains("class=\"UP\"", "class=\"bastion\"", "tunnel primary");
        assertThat(dom).contains("Bastion ran 30 min", "<span id=\"error\"></span>");

        Path png = chromium.screenshot(server.uri(), Path.of("target", "status-page.png"));
        System.out.println("status page screenshot: " + png.toAbsolutePath());
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }

    private static String section(String dom, String id) {
        int start = dom.indexOf("id=\"" + id + "\"");
        assertThat(start).as("the page has #" + id).isNotNegative();
        return dom.substring(start, dom.indexOf("</svg>", start));
    }

    private static int count(String s, String what) {
        return (s.length() - s.replace(what, "").length()) / what.length();
    }
}
