package dev.lifeline.supervisor.heartbeat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.lifeline.supervisor.link.LinkState;
import dev.lifeline.supervisor.testing.SimulatedClock;
import dev.lifeline.supervisor.testing.SimulatedScheduler;

/**
 * The heartbeat's schedule on simulated time (hours in milliseconds), its pings real HTTP to a WireMock on loopback
 * standing in for Healthchecks and Uptime Kuma. The trouble it reports is {@link Trouble}'s verdict on a primary line
 * state the test sets.
 */
class HeartbeatTest {
    private static final String PING = "/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278";
    private static final Duration EVERY = Duration.ofMinutes(1);
    private static final Instant START = Instant.parse("2026-11-25T18:00:00Z");

    private final WireMockServer stub = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final SimulatedClock clock = new SimulatedClock(START);
    private final SimulatedScheduler scheduler = new SimulatedScheduler(clock);
    private final AtomicReference<LinkState> primary = new AtomicReference<>(LinkState.UP);
    private Heartbeat heartbeat;

    @BeforeEach
    void start() {
        stub.start();
        stub.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("OK")));
    }

    @AfterEach
    void stop() {
        if (heartbeat != null) {
            heartbeat.close();
        }
        stub.stop();
    }

    private Heartbeat start(String path, HeartbeatSection.Format format, Duration timeout) {
        HeartbeatSection config = new HeartbeatSection(URI.create(stub.baseUrl() + path), EVERY, timeout, format);
        heartbeat = Heartbeat.start(config, () -> Trouble.of(null, primary.get(), null), scheduler, clock, new SplittableRandom(7));
        return heartbeat;
    }

    private int requests(String path) {
        return stub.findAll(postRequestedFor(urlEqualTo(path))).size();
    }

    @Test
    void onePingAtStartAndOnePerPeriodThenFailDuringAnOutageThenSuccessAgain() {
        start(PING, HeartbeatSection.Format.HEALTHCHECKS, null);
        scheduler.runFor(Duration.ZERO);
        assertThat(heartbeat.state().lastPingAt()).isEqualTo(START);
        for (int i = 1; i <= 10; i++) {
            scheduler.runFor(EVERY);
            assertThat(heartbeat.state().lastPingAt()).as("ping %d on the period", i).isEqualTo(START.plus(EVERY.multipliedBy(i)));
        }
        assertThat(requests(PING)).as("the first at once, then one per period").isEqualTo(11);
        assertThat(requests(PING + "/fail")).isZero();
        stub.verify(postRequestedFor(urlEqualTo(PING)).withRequestBody(equalTo("all well")));

        primary.set(LinkState.DOWN);
        scheduler.runFor(EVERY.multipliedBy(5));
        assertThat(requests(PING + "/fail")).as("one fail ping per period of the outage").isEqualTo(5);
        assertThat(requests(PING)).isEqualTo(11);
        stub.verify(5, postRequestedFor(urlEqualTo(PING + "/fail")).withRequestBody(equalTo("outage: primary line down")));
        assertThat(heartbeat.state()).extracting(HeartbeatState::lastSignal, HeartbeatState::lastResult, HeartbeatState::trouble)
                .containsExactly("fail", "delivered", "outage: primary line down");

        primary.set(LinkState.UP);
        scheduler.runFor(EVERY.multipliedBy(3));
        assertThat(requests(PING)).as("back to success").isEqualTo(14);
        assertThat(requests(PING + "/fail")).isEqualTo(5);
        HeartbeatState s = heartbeat.state();
        assertThat(s.lastSignal()).isEqualTo("up");
        assertThat(s.trouble()).isNull();
        assertThat(s.failures()).isZero();
        assertThat(s.lastSuccessAt()).isEqualTo(START.plus(EVERY.multipliedBy(18)));
        assertThat(scheduler.planned()).as("always exactly the next ping planned").isEqualTo(1);
    }

    @Test
    void aRefusedPingIsCountedAndTriedAgainSoonerThanThePeriodThenTheScheduleResumes() {
        stub.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
        start(PING, HeartbeatSection.Format.HEALTHCHECKS, null);

        scheduler.runFor(EVERY.minusSeconds(1));
        int attempts = requests(PING);
        // 0 s, then 5, 10, 20 s apart (±20 %): four tries before the next period, not one
        assertThat(attempts).isBetween(3, 5);
        HeartbeatState failing = heartbeat.state();
        assertThat(failing.failures()).isEqualTo(attempts);
        assertThat(failing.lastResult()).isEqualTo("failed");
        assertThat(failing.lastError()).isEqualTo("HTTP 500");
        assertThat(failing.lastSuccessAt()).isNull();

        stub.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        scheduler.runFor(Duration.ofSeconds(1));
        assertThat(heartbeat.state().lastResult()).as("the retry is capped at the period's ping").isEqualTo("delivered");
        assertThat(heartbeat.state().lastSuccessAt()).isEqualTo(START.plus(EVERY));
        assertThat(heartbeat.state().failures()).as("a counter: it never goes down").isEqualTo(attempts);

        scheduler.runFor(EVERY.multipliedBy(2));
        assertThat(heartbeat.state().lastPingAt()).as("on the period again").isEqualTo(START.plus(EVERY.multipliedBy(3)));
        assertThat(requests(PING)).isEqualTo(attempts + 3);
    }

    @Test
    void anUnreachableServiceIsAFailureThatNeverNamesTheCheck() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        HeartbeatSection config = new HeartbeatSection(URI.create("http://127.0.0.1:" + closed + PING), EVERY, Duration.ofSeconds(2),
                HeartbeatSection.Format.HEALTHCHECKS);
        heartbeat = Heartbeat.start(config, Optional::empty, scheduler, clock, new SplittableRandom(7));

        scheduler.runFor(EVERY.multipliedBy(3));

        HeartbeatState s = heartbeat.state();
        assertThat(s.failures()).isGreaterThanOrEqualTo(3);
        assertThat(s.lastResult()).isEqualTo("failed");
        assertThat(s.lastError()).contains("ConnectException").doesNotContain(PING.substring(1));
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(scheduler.planned()).as("still planning the next ping").isEqualTo(1);
    }

    @Test
    void aServiceThatDoesNotAnswerIsGivenUpAfterTheTimeout() {
        stub.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(10_000)));
        start(PING, HeartbeatSection.Format.HEALTHCHECKS, Duration.ofSeconds(1));

        long began = System.nanoTime();
        scheduler.runFor(Duration.ZERO);
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        assertThat(heartbeat.state().lastResult()).isEqualTo("failed");
        assertThat(heartbeat.state().lastError()).containsAnyOf("timed out", "no answer within");
        assertThat(took).as("bounded by the 1 s timeout, not the 10 s the service takes").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void uptimeKumaHearsUpAndDownInItsQuery() {
        stub.stubFor(get(urlPathEqualTo("/api/push/Ab12Cd34Ef")).willReturn(aResponse().withStatus(200).withBody("{\"ok\":true}")));
        start("/api/push/Ab12Cd34Ef?status=up&msg=OK&ping=", HeartbeatSection.Format.UPTIME_KUMA, null);

        scheduler.runFor(Duration.ZERO);
        primary.set(LinkState.DOWN);
        scheduler.runFor(EVERY);

        stub.verify(1, getRequestedFor(urlEqualTo("/api/push/Ab12Cd34Ef?status=up&msg=all+well")));
        stub.verify(1, getRequestedFor(urlEqualTo("/api/push/Ab12Cd34Ef?status=down&msg=outage%3A+primary+line+down")));
        assertThat(heartbeat.state().lastResult()).isEqualTo("delivered");
    }

    @Test
    void aClosedHeartbeatSendsNothingMore() {
        start(PING, HeartbeatSection.Format.HEALTHCHECKS, null);
        scheduler.runFor(EVERY);
        int before = requests(PING);

        heartbeat.close();
        scheduler.runFor(EVERY.multipliedBy(5));

        assertThat(requests(PING)).isEqualTo(before);
    }
}
