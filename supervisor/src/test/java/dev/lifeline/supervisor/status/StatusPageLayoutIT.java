package dev.lifeline.supervisor.status;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.lifeline.supervisor.cloud.BastionConfig;
import dev.lifeline.supervisor.cloud.BastionMode;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.heartbeat.HeartbeatState;
import dev.lifeline.supervisor.link.BackupHealthCheck;
import dev.lifeline.supervisor.link.BackupLinkConfig;
import dev.lifeline.supervisor.link.LinkState;
import dev.lifeline.supervisor.link.LinkTracker;
import dev.lifeline.supervisor.link.PrimaryLinkMonitor;
import dev.lifeline.supervisor.policy.OutagePolicy;
import dev.lifeline.supervisor.probe.DataBudget;
import dev.lifeline.supervisor.probe.IspLookups;
import dev.lifeline.supervisor.probe.Probes;
import dev.lifeline.supervisor.testing.DevToolsBrowser;
import dev.lifeline.supervisor.testing.HeadlessChromium;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.supervisor.tunnel.SshSection;
import dev.lifeline.supervisor.tunnel.TunnelConfig;
import dev.lifeline.supervisor.tunnel.TunnelListener;
import dev.lifeline.supervisor.tunnel.TunnelSupervisor;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.HomeService;

/**
 * The status page as a phone and a desktop browser draw it, from a running supervisor in trouble: tunnel
 * {@code primary} up through Debian's sshd, tunnel {@code secondary} (the home's SSH, the admin's path) refused by it
 * (its key is the other user's), and
 * the backup line's real health check finding the wrong ISP (an ISP endpoint on loopback says Deutsche Telekom where
 * Starlink is expected). Layout numbers come from chromium itself over the DevTools protocol; screenshots land in
 * {@code target/} for a human.
 */
class StatusPageLayoutIT {
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(200);
    /** The refused tunnel waits this long (an admin-only failure waits the cap), so its next try stays ahead of the test. */
    private static final Duration BACKOFF_MAX = Duration.ofMinutes(10);
    private static final int PHONE_WIDTH = 390;
    private static final int PHONE_HEIGHT = 844;
    private static final int DESKTOP_WIDTH = 1280;
    private static final int DESKTOP_HEIGHT = 900;
    /** Apple's and Google's guidelines put the smallest comfortable tap target at 44 CSS px (48 dp on Android). */
    private static final double MIN_TAP_PX = 44;
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Geometry of the drawn page, from the browser's own layout: rectangles in CSS px, SVG boxes in user units. */
    private static final String MEASURE = """
            JSON.stringify((() => {
              const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height}; };
              return {
                innerWidth: window.innerWidth,
                scrollWidth: document.documentElement.scrollWidth,
                body: box(document.body),
                cards: [...document.querySelectorAll('#cards .card')].map(c => Object.assign(box(c), {text: c.innerText})),
                taps: [...document.querySelectorAll('a, button, input, select, summary')].map(e => Object.assign(box(e), {text: e.innerText})),
                charts: [...document.querySelectorAll('svg')].map(s => Object.assign(box(s), {id: s.id})),
                texts: [...document.querySelectorAll('svg text')].filter(t => t.textContent.trim()).map(t => {
                  const r = t.getBoundingClientRect(), b = t.getBBox();
                  return {text: t.textContent, chart: t.ownerSVGElement.id, sx: r.width / b.width, sy: r.height / b.height, height: r.height};
                })
              };
            })())""";
    private static final String DRAWN = "document.querySelectorAll('#cards .card').length >= 9"
            + " && document.querySelector('#primary-rtt polyline') !== null && document.querySelector('#timeline rect') !== null"
            + " && document.getElementById('updated').textContent !== ''";

    @TempDir
    static Path state;

    private static TestBastion bastion;
    private static HomeService home;
    private static TunnelSupervisor tunnels;
    private static ServerSocket primaryTarget;
    private static ExecutorService probeThreads;
    private static PrimaryLinkMonitor primary;
    private static WireMockServer isp;
    private static StatusSource source;
    private static StatusServer server;

    @BeforeAll
    static void startATroubledSupervisor() throws Exception {
        Clock clock = Clock.systemUTC();
        bastion = TestBastion.start(List.of());
        home = HomeService.start("home");
        SshSection fast = TestBastion.fastSettings();
        SshSection ssh = new SshSection(fast.keepaliveInterval(), fast.keepaliveMaxMisses(), fast.connectTimeout(), fast.authTimeout(),
                fast.backoffInitial(), BACKOFF_MAX, fast.healthyAfter(), fast.forwardFailureAlertAfter(), null);
        SupervisorConfig good = bastion.config(bastion.sshPort(), home.port(), ssh, 0);
        // tunnel2's user, tunnel1's key: sshd refuses it, every time, as it would a key the stack no longer knows
        // It carries the home's SSH: the admin's path to the home, down with it.
        TunnelConfig refused = new TunnelConfig("secondary", bastion.spec().tunnels().get(1).name(), bastion.key(0).toString(),
                "127.0.0.1:" + bastion.tunnelPort(1), "127.0.0.1:" + home.port(), null, "ssh");
        BastionConfig b = good.bastion();
        tunnels = TunnelSupervisor.start(new SupervisorConfig(b, List.of(good.tunnels().get(0), refused), ssh).tunnelPlan(),
                new TunnelListener() { }, clock, new Random(7));
        Await.until("tunnel primary up, secondary refused", Duration.ofSeconds(30),
                () -> tunnels.states().get(0).isUp() && tunnels.states().get(1).lastFailure() != null);

        primaryTarget = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        probeThreads = Executors.newFixedThreadPool(2);
        primary = new PrimaryLinkMonitor(List.of(Probes.parse("tcp://127.0.0.1:" + primaryTarget.getLocalPort(), null, Duration.ofSeconds(1))),
                new LinkTracker("primary", 1, 3, 3, clock.instant()), null, Duration.ofHours(1), t -> { }, clock, probeThreads);

        isp = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        isp.start();
        isp.stubFor(get(urlEqualTo("/meta")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"asOrganization\":\"Deutsche Telekom AG\",\"asn\":3320,\"clientIp\":\"198.18.0.77\"}")));
        isp.stubFor(get(urlEqualTo("/ping")).willReturn(aResponse().withBody("pong")));
        BackupLinkConfig cfg = new BackupLinkConfig(null, "AS14593", isp.baseUrl() + "/meta", List.of(), null,
                "10Mbit", Duration.ofMillis(500), List.of(isp.baseUrl() + "/ping"), Duration.ofHours(1), "50MB/day", "5MB", Duration.ofSeconds(2));
        BackupHealthCheck backup = new BackupHealthCheck(cfg, IspLookups.of(cfg.ispLookup(), null, cfg.timeout()),
                List.of(Probes.of(cfg.latencyProbes().get(0), null, cfg.timeout())), List.of(), Optional::empty,
                new DataBudget(state.resolve("budget.json"), cfg.dataBudgetBytesPerDay(), clock), e -> { }, clock);

        Instant now = clock.instant();
        OutagePolicy.Snapshot policy = new OutagePolicy.Snapshot(BastionMode.ON_OUTAGE, LinkState.UP, "ON", null,
                now.minusSeconds(600), now.minus(Duration.ofMinutes(30)), 1, 0, false);
        source = StatusSource.of(tunnels, primary, backup, () -> policy, () -> OutboxView.EMPTY, () -> null, Set.of("secondary"));
        server = StatusServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, source,
                new History(SAMPLE_EVERY, StatusSection.T4G_NANO_PER_HOUR, 0), SAMPLE_EVERY, clock);
        for (int i = 0; i < 3; i++) {
            primary.round();
            backup.run(bytes -> { });
            Thread.sleep(3 * SAMPLE_EVERY.toMillis());
        }
        Await.until("three rounds and checks in the history", Duration.ofSeconds(10),
                () -> server.history().view(Instant.now()).backupLatencyMs().size() >= 3);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (server != null) {
            server.close();
        }
        if (isp != null) {
            isp.stop();
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

    @Test
    void atPhoneWidthTheCardsStackInOneColumnNothingScrollsSidewaysAndChartTextKeepsItsShape() throws Exception {
        JsonNode m = drawn(PHONE_WIDTH, PHONE_HEIGHT, true, "status-page-phone.png");

        assertThat(m.path("scrollWidth").asDouble()).as("no horizontal scroll at %d px: %s", PHONE_WIDTH, m.path("body"))
                .isLessThanOrEqualTo(PHONE_WIDTH);
        List<JsonNode> cards = list(m.path("cards"));
        assertThat(cards).hasSizeGreaterThanOrEqualTo(9);
        double left = cards.get(0).path("left").asDouble();
        for (JsonNode c : cards) {
            assertThat(c.path("left").asDouble()).as("one column: every card's left edge where the first's is: %s", c.path("text").asText())
                    .isCloseTo(left, org.assertj.core.data.Offset.offset(1.0));
            assertThat(c.path("right").asDouble()).as("inside the screen: %s", c.path("text").asText()).isLessThanOrEqualTo(PHONE_WIDTH);
        }
        for (int i = 1; i < cards.size(); i++) {
            assertThat(cards.get(i).path("top").asDouble()).as("card %d below card %d", i, i - 1)
                    .isGreaterThanOrEqualTo(cards.get(i - 1).path("bottom").asDouble());
        }
        for (JsonNode chart : m.path("charts")) {
            assertThat(chart.path("right").asDouble()).as("chart %s inside the screen", chart.path("id").asText()).isLessThanOrEqualTo(PHONE_WIDTH);
        }
        assertTapTargets(m);
        assertChartTextNatural(m);
    }

    @Test
    void aPhoneTurnedSidewaysRedrawsTheChartsAtTheirNewWidthWithoutWaitingForNewData() throws Exception {
        try (DevToolsBrowser browser = HeadlessChromium.require().devTools()) {
            browser.open(server.uri(), PHONE_WIDTH, PHONE_HEIGHT, true);
            browser.awaitTrue("the page drew the supervisor's state", DRAWN, Duration.ofSeconds(30));

            // No new data from here on (the next refresh waits forever): only the turn itself can redraw the charts.
            browser.evaluate("window.fetch = () => new Promise(() => {}); true");
            browser.viewport(PHONE_HEIGHT, PHONE_WIDTH, true);
            Duration took = browser.awaitTrue("every chart's coordinates are its new width in pixels", "[...document.querySelectorAll('svg')].every(s =>"
                    + " s.clientWidth > " + PHONE_WIDTH + " && Math.abs(s.viewBox.baseVal.width - s.clientWidth) <= 1)", Duration.ofSeconds(20));
            JsonNode m = JSON.readTree(browser.evaluate(MEASURE).asText());

            System.out.printf("status page turned to %d px: charts redrawn within %d ms, scrollWidth %s, chart text scale %s%n", PHONE_HEIGHT,
                    took.toMillis(), m.path("scrollWidth"), scales(m));
            assertThat(m.path("scrollWidth").asDouble()).isLessThanOrEqualTo(PHONE_HEIGHT);
            assertChartTextNatural(m);
        }
    }

    @Test
    void atDesktopWidthTheCardsUseColumnsAndChartTextKeepsItsShape() throws Exception {
        JsonNode m = drawn(DESKTOP_WIDTH, DESKTOP_HEIGHT, false, "status-page-desktop.png");

        assertThat(m.path("scrollWidth").asDouble()).isLessThanOrEqualTo(DESKTOP_WIDTH);
        TreeSet<Long> lefts = new TreeSet<>();
        m.path("cards").forEach(c -> lefts.add(Math.round(c.path("left").asDouble())));
        assertThat(lefts).as("cards side by side on a wide screen").hasSizeGreaterThanOrEqualTo(2);
        assertTapTargets(m);
        assertChartTextNatural(m);
    }

    @Test
    void eachCardSaysWhyADownTunnelItsFailureAndNextTryTheBackupLineItsFailedCheckTheAdminPathItsTunnel() throws Exception {
        JsonNode status = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve("/status"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
        JsonNode down = status.path("tunnels").get(1);
        assertThat(down.path("status").asText()).isEqualTo("DOWN");
        assertThat(down.path("lastFailure").asText()).isEqualTo("AUTH_REFUSED");
        assertThat(down.path("needsAdmin").asBoolean()).isTrue();
        Instant nextTry = Instant.parse(down.path("nextTry").asText());
        assertThat(nextTry).as("an admin-only failure waits the backoff cap").isAfter(Instant.now().plus(BACKOFF_MAX).minus(Duration.ofMinutes(3)));
        assertThat(status.path("backup").path("failedChecks").get(0).path("check").asText()).isEqualTo("ISP identity");
        assertThat(status.path("heartbeat").path("configured").asBoolean()).as("no heartbeat in this config").isFalse();
        assertThat(status.path("adminPath").path("tunnel").asText()).isEqualTo("secondary");

        JsonNode m = drawn(PHONE_WIDTH, PHONE_HEIGHT, true, null);

        assertThat(card(m, "tunnel secondary")).as("the DOWN tunnel's card: the failure kind and when it is tried next")
                .contains("DOWN", "AUTH_REFUSED", "needs an admin", "next try at " + HMS.format(nextTry));
        assertThat(card(m, "tunnel primary")).contains("UP").doesNotContain("next try");
        assertThat(card(m, "backup line")).as("the backup card names the failed check and what it found")
                .contains("ISP identity", "wrong ISP", "Deutsche Telekom AG AS3320");
        assertThat(card(m, "heartbeat")).contains("not configured");
        assertThat(card(m, "admin path")).as("the admin's SSH path is the refused ssh tunnel")
                .contains("DOWN", "through tunnel secondary", "AUTH_REFUSED", "next try at " + HMS.format(nextTry));
    }

    /**
     * A heartbeat that failed its last ping: the card says so and why, from the state the heartbeat reports
     * ({@link HeartbeatState}, as {@code Heartbeat.state()} gives it), over the same running supervisor; the page is
     * the real one. (DeadMansSwitchIT has the pings themselves against a stub.)
     */
    @Test
    void aFailedHeartbeatShowsItsStateAndWhy() throws Exception {
        Instant now = Instant.now();
        HeartbeatState beat = new HeartbeatState("hc-ping.example", "healthchecks", Duration.ofSeconds(60), now.minusSeconds(20),
                "fail", "failed", "POST https://hc-ping.example/3f9a-secret failed: HTTP 503", now.minusSeconds(80), 1,
                "primary line DOWN");
        StatusSource withHeartbeat = new StatusSource() {
            public List<dev.lifeline.supervisor.tunnel.TunnelState> tunnels() { return source.tunnels(); }
            public Optional<LinkState> primaryState() { return source.primaryState(); }
            public List<dev.lifeline.supervisor.probe.ProbeResult> primaryLastRound() { return source.primaryLastRound(); }
            public Optional<dev.lifeline.supervisor.link.BackupHealth> backupHealth() { return source.backupHealth(); }
            public OutagePolicy.Snapshot policy() { return source.policy(); }
            public OutboxView outbox() { return source.outbox(); }
            public Optional<HeartbeatState> heartbeat() { return Optional.of(beat); }
            public Optional<AdminPathView> adminPath() { return source.adminPath(); }
        };
        try (StatusServer both = StatusServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, withHeartbeat,
                new History(SAMPLE_EVERY, 0, 0), SAMPLE_EVERY, Clock.systemUTC());
             DevToolsBrowser browser = HeadlessChromium.require().devTools()) {
            browser.open(both.uri(), PHONE_WIDTH, PHONE_HEIGHT, true);
            browser.awaitTrue("the page drew the cards", "document.querySelectorAll('#cards .card').length >= 9", Duration.ofSeconds(30));
            JsonNode m = JSON.readTree(browser.evaluate(MEASURE).asText());

            assertThat(card(m, "heartbeat")).contains("failed", "HTTP 503", "last ping (fail) at " + HMS.format(beat.lastPingAt()),
                    "to hc-ping.example", "says trouble: primary line DOWN", "last delivered at " + HMS.format(beat.lastSuccessAt()))
                    .doesNotContain("secret", "not configured");
            assertThat(browser.evaluate("document.getElementById('error').textContent").asText()).isEmpty();
        }
    }

    /** Loads the page at the given viewport, waits until it drew from the supervisor's data, measures it. */
    private static JsonNode drawn(int width, int height, boolean mobile, String screenshot) throws Exception {
        try (DevToolsBrowser browser = HeadlessChromium.require().devTools()) {
            browser.open(server.uri(), width, height, mobile);
            Duration took = browser.awaitTrue("the page drew the supervisor's state", DRAWN, Duration.ofSeconds(30));
            JsonNode m = JSON.readTree(browser.evaluate(MEASURE).asText());
            System.out.printf("status page at %d px drawn in %d ms: scrollWidth %s, %d cards, chart text scale %s%n", width, took.toMillis(),
                    m.path("scrollWidth"), m.path("cards").size(), scales(m));
            if (screenshot != null) {
                Path png = browser.screenshot(Path.of("target", screenshot));
                BufferedImage image = ImageIO.read(png.toFile());
                System.out.println("status page screenshot: " + png.toAbsolutePath());
                assertThat(image).as("%s is a PNG", png).isNotNull();
                assertThat(image.getWidth()).as("%s is %d px wide", png, width).isEqualTo(width);
            }
            return m;
        }
    }

    private static void assertTapTargets(JsonNode m) {
        List<JsonNode> taps = list(m.path("taps"));
        assertThat(taps).as("the page's links (the JSON and the metrics)").isNotEmpty();
        for (JsonNode t : taps) {
            assertThat(t.path("height").asDouble()).as("tap target '%s' at least %s px high", t.path("text").asText(), MIN_TAP_PX)
                    .isGreaterThanOrEqualTo(MIN_TAP_PX);
        }
    }

    /** Drawn at 1 CSS px per SVG unit both ways: not squeezed sideways, not shrunk or stretched. */
    private static void assertChartTextNatural(JsonNode m) {
        List<JsonNode> texts = list(m.path("texts"));
        assertThat(texts).as("the charts carry labels").hasSizeGreaterThanOrEqualTo(6);
        for (JsonNode t : texts) {
            String what = "'" + t.path("text").asText() + "' in #" + t.path("chart").asText();
            assertThat(t.path("sx").asDouble()).as("horizontal scale of %s", what).isBetween(0.95, 1.05);
            assertThat(t.path("sy").asDouble()).as("vertical scale of %s", what).isBetween(0.95, 1.05);
        }
    }

    private static String scales(JsonNode m) {
        double minX = Double.MAX_VALUE, maxX = 0, minY = Double.MAX_VALUE, maxY = 0;
        for (JsonNode t : m.path("texts")) {
            minX = Math.min(minX, t.path("sx").asDouble());
            maxX = Math.max(maxX, t.path("sx").asDouble());
            minY = Math.min(minY, t.path("sy").asDouble());
            maxY = Math.max(maxY, t.path("sy").asDouble());
        }
        return String.format(java.util.Locale.ROOT, "x %.3f..%.3f, y %.3f..%.3f", minX, maxX, minY, maxY);
    }

    private static String card(JsonNode m, String title) {
        for (JsonNode c : m.path("cards")) {
            if (c.path("text").asText().startsWith(title)) {
                return c.path("text").asText();
            }
        }
        throw new AssertionError("no card titled '" + title + "' among " + m.path("cards"));
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        array.forEach(l::add);
        return l;
    }
}
