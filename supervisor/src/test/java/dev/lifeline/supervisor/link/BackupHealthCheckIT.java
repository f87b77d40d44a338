package dev.lifeline.supervisor.link;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.lifeline.supervisor.event.Event;
import dev.lifeline.supervisor.probe.DataBudget;
import dev.lifeline.supervisor.probe.IspLookups;
import dev.lifeline.supervisor.probe.Probes;
import dev.lifeline.supervisor.testing.RateLimitedHttpServer;

/**
 * The backup line's health check against real servers: an ISP endpoint (WireMock, Cloudflare-/meta-shaped) that
 * also answers the latency probe, and a download served at a controlled rate.
 */
class BackupHealthCheckIT {
    @TempDir
    Path state;

    private WireMockServer isp;
    private final List<Event> events = new ArrayList<>();

    @BeforeEach
    void start() {
        isp = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        isp.start();
    }

    @AfterEach
    void stop() {
        isp.stop();
    }

    private void ispSays(String org, long asn, int latencyMillis) {
        isp.resetAll();
        isp.stubFor(get(urlEqualTo("/meta")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"asOrganization\":\"" + org + "\",\"asn\":" + asn + ",\"clientIp\":\"198.18.0.77\"}")));
        isp.stubFor(get(urlEqualTo("/ping")).willReturn(aResponse().withFixedDelay(latencyMillis).withBody("pong")));
    }

    /** One check object for the whole story, as in the daemon; the download URL is the line of the moment. */
    private BackupHealthCheck healthCheck() {
        BackupLinkConfig cfg = new BackupLinkConfig(null, "AS14593", isp.baseUrl() + "/meta", List.of(), null,
                "10Mbit", Duration.ofMillis(150), List.of(isp.baseUrl() + "/ping"), Duration.ofHours(1), "50MB/day", "5MB", Duration.ofSeconds(2));
        return new BackupHealthCheck(cfg, IspLookups.of(cfg.ispLookup(), null, cfg.timeout()),
                List.of(Probes.of(cfg.latencyProbes().get(0), null, cfg.timeout())), List.of(), () -> Optional.ofNullable(line.get()),
                new DataBudget(state.resolve("budget.json"), cfg.dataBudgetBytesPerDay(), Clock.systemUTC()), events::add, Clock.systemUTC());
    }

    private final AtomicReference<URI> line = new AtomicReference<>();

    @Test
    void aDegradedBackupRaisesOneEventNamingAllThreeFactsAndOneResolvedWhenItRecovers() {
        BackupHealthCheck check = healthCheck();
        try (RateLimitedHttpServer slow = RateLimitedHttpServer.start(5_000_000L, 50_000_000L)) {
            ispSays("Deutsche Telekom AG", 3320, 300);
            line.set(URI.create(slow.url()));

            BackupHealth bad = check.run(b -> { });
            BackupHealth stillBad = check.run(b -> { });

            assertThat(bad.problems()).containsExactly("wrong ISP", "high latency", "low speed");
            assertThat(bad.bitsPerSecond()).isBetween(3_000_000L, 7_000_000L);
            assertThat(bad.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(stillBad.problems()).isEqualTo(bad.problems());
            assertThat(events).as("the same problems again raise nothing new").hasSize(1);
            assertThat(events.get(0).kind()).isEqualTo(Event.Kind.BACKUP_PROBLEM);
            assertThat(events.get(0).text()).startsWith("backup line: wrong ISP, high latency, low speed — ISP Deutsche Telekom AG AS3320 SPEED ")
                    .containsPattern("SPEED \\d{7} LATENCY \\d{3,}$"); // ≥ 300 ms, checked above: a loaded machine adds to it
        }
        try (RateLimitedHttpServer fast = RateLimitedHttpServer.start(100_000_000L, 50_000_000L)) {
            ispSays("Starlink", 14593, 0);
            line.set(URI.create(fast.url()));

            BackupHealth good = check.run(b -> { });

            assertThat(good.healthy()).as("%s", good).isTrue();
            assertThat(good.bytesUsed()).isLessThan(5_000_000L);
            assertThat(events).hasSize(2);
            assertThat(events.get(1).kind()).isEqualTo(Event.Kind.BACKUP_RESOLVED);
            assertThat(events.get(1).text()).startsWith("backup line healthy again — ISP Starlink AS14593 SPEED ");
        }
    }

    @Test
    void aSpentDataBudgetSkipsTheSpeedTestAndSaysSo() {
        BackupHealthCheck check = healthCheck();
        new DataBudget(state.resolve("budget.json"), 50_000_000L, Clock.systemUTC()).record(50_000_000L);
        try (RateLimitedHttpServer fast = RateLimitedHttpServer.start(100_000_000L, 50_000_000L)) {
            ispSays("Starlink", 14593, 0);
            line.set(URI.create(fast.url()));

            BackupHealth h = check.run(b -> { });

            assertThat(fast.bytesSent()).isZero();
            assertThat(h.bitsPerSecond()).isNull();
            assertThat(h.notes()).anyMatch(n -> n.contains("data budget (50 MB) is used up"));
        }
    }
}
