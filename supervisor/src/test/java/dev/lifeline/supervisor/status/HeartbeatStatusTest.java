package dev.lifeline.supervisor.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lifeline.supervisor.heartbeat.HeartbeatState;

/** The heartbeat as /status and /metrics show it: its host, never its URL; its series only where it is configured. */
class HeartbeatStatusTest {
    private static final Instant NOW = Instant.parse("2026-11-25T18:10:00Z");
    private static final Instant DELIVERED = Instant.parse("2026-11-25T18:08:00Z");
    private static final HeartbeatState FAILING = new HeartbeatState("hc-ping.com", "healthchecks", Duration.ofSeconds(60),
            Instant.parse("2026-11-25T18:09:00Z"), "fail", "failed",
            "HttpConnectTimeoutException: connect to https://hc-ping.com/5bf66975-d4c7-4bf5 timed out", DELIVERED, 3,
            "outage: primary line down");

    private static StatusSnapshot snapshot(HeartbeatState heartbeat) {
        return new StatusSnapshot(NOW, List.of(), null, List.of(), null, null, OutboxView.EMPTY, heartbeat, null);
    }

    private static JsonNode status(HeartbeatState heartbeat) throws Exception {
        HistoryView history = new History(Duration.ofSeconds(10), 0.0084, 0).view(NOW);
        // the status server's own JSON settings
        return StatusServer.json().valueToTree(StatusDocument.of(snapshot(heartbeat), history)).get("heartbeat");
    }

    @Test
    void statusShowsTheHeartbeatByItsHostOnly() throws Exception {
        JsonNode h = status(FAILING);

        assertThat(h.get("configured").asBoolean()).isTrue();
        assertThat(h.get("host").asText()).isEqualTo("hc-ping.com");
        assertThat(h.get("format").asText()).isEqualTo("healthchecks");
        assertThat(h.get("everySeconds").asLong()).isEqualTo(60);
        assertThat(h.get("lastPingAt").asText()).isEqualTo("2026-11-25T18:09:00Z");
        assertThat(h.get("lastSignal").asText()).isEqualTo("fail");
        assertThat(h.get("lastResult").asText()).isEqualTo("failed");
        assertThat(h.get("lastSuccessAt").asText()).isEqualTo("2026-11-25T18:08:00Z");
        assertThat(h.get("failures").asLong()).isEqualTo(3);
        assertThat(h.get("trouble").asText()).isEqualTo("outage: primary line down");
        assertThat(h.toString()).as("the check's UUID is its credential").doesNotContain("5bf66975");
        assertThat(h.get("lastError").asText()).contains("https://hc-ping.com/…");
    }

    @Test
    void withoutAHeartbeatTheFieldSaysSo() throws Exception {
        JsonNode h = status(null);

        assertThat(h.get("configured").asBoolean()).isFalse();
        assertThat(h.get("lastPingAt").isNull()).isTrue();
    }

    @Test
    void metricsCarryTheLastSuccessTheFailuresAndThePeriodWithTheSite() {
        String scrape = new StatusMetrics("home", 0.0084, 0).scrape(snapshot(FAILING));

        assertThat(scrape).contains("lifeline_heartbeat_failures_total{site=\"home\"} 3.0")
                .contains("lifeline_heartbeat_period_seconds{site=\"home\"} 60.0")
                .containsPattern("lifeline_heartbeat_last_success_timestamp_seconds\\{site=\"home\"} 1\\.79563008E9");
    }

    @Test
    void noHeartbeatNoSeries() {
        String scrape = new StatusMetrics("home", 0.0084, 0).scrape(snapshot(null));

        assertThat(scrape).doesNotContain("lifeline_heartbeat");
    }
}
