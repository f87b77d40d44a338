package dev.lifeline.supervisor.cloud;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.lifeline.supervisor.cloud.BastionStatus.State;
import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.supervisor.testing.TestConfigs;

/** {@link DigitalOceanBastionControl} against WireMock answering like the documented v2 API, on 127.0.0.1. */
class DigitalOceanBastionControlIT {
    private static final long DROPLET = 3164494;
    private static final String TOKEN = "dop_v1_lifelinetesttoken0123456789abcdef";
    private static final CloudSettings FAST = CloudSettings.DEFAULTS.withPollInterval(Duration.ofMillis(100))
            .withBackoff(Duration.ofMillis(100), Duration.ofMillis(400));

    @TempDir
    Path dir;

    private WireMockServer api;
    private Path tokenFile;

    @BeforeEach
    void start() throws Exception {
        api = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        api.start();
        tokenFile = dir.resolve("do-token");
        TestConfigs.privateFile(tokenFile, TOKEN + "\n");
    }

    @AfterEach
    void stop() {
        api.stop();
    }

    private BastionControl control() {
        return new DigitalOceanBastionControl(new DigitalOceanSection(DROPLET, tokenFile, URI.create("http://127.0.0.1:" + api.port())), FAST);
    }

    @Test
    void statusReadsTheDropletsStatusAndPublicAddressWithTheBearerToken() {
        api.stubFor(get(urlPathEqualTo("/v2/droplets/" + DROPLET)).willReturn(okJson(droplet("active"))));

        try (BastionControl control = control()) {
            BastionStatus status = control.status();

            assertThat(status).isEqualTo(new BastionStatus(String.valueOf(DROPLET), State.RUNNING, "104.131.186.241", "active"));
        }
        api.verify(1, getRequestedFor(urlPathEqualTo("/v2/droplets/" + DROPLET))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Host", equalTo("127.0.0.1:" + api.port())));
    }

    @Test
    void theProvidersWordsMapToOurStates() {
        for (var expected : List.of(List.of("active", State.RUNNING), List.of("off", State.STOPPED), List.of("new", State.STARTING),
                List.of("archive", State.GONE))) {
            api.stubFor(get(urlPathEqualTo("/v2/droplets/" + DROPLET)).willReturn(okJson(droplet((String) expected.get(0)))));
            try (BastionControl control = control()) {
                assertThat(control.status().state()).as(expected.get(0).toString()).isEqualTo(expected.get(1));
            }
        }
    }

    @Test
    void startPowersOnAnOffDropletWithTheDocumentedAction() {
        api.stubFor(get(urlPathEqualTo("/v2/droplets/" + DROPLET)).willReturn(okJson(droplet("off"))));
        api.stubFor(post(urlPathEqualTo("/v2/droplets/" + DROPLET + "/actions")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(action("power_on"))));

        try (BastionControl control = control()) {
            control.start();
        }

        api.verify(1, postRequestedFor(urlPathEqualTo("/v2/droplets/" + DROPLET + "/actions"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson("{\"type\": \"power_on\"}")));
    }

    @Test
    void stopPowersOffAnActiveDropletAndLeavesAnOffOneAlone() {
        api.stubFor(get(urlPathEqualTo("/v2/droplets/" + DROPLET)).willReturn(okJson(droplet("active"))));
        api.stubFor(post(urlPathEqualTo("/v2/droplets/" + DROPLET + "/actions")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(action("power_off"))));
        try (BastionControl control = control()) {
            control.stop();
            api.stubFor(get(urlPathEqualTo("/v2/droplets/" + DROPLET)).willReturn(okJson(droplet("off"))));
            control.stop();
        }

        api.verify(1, postRequestedFor(urlPathEqualTo("/v2/droplets/" + DROPLET + "/actions"))
                .withRequestBody(equalToJson("{\"type\": \"power_off\"}")));
    }

    @Test
    void startingAnActiveDropletSendsNoAction() {
        api.stubFor(get(urlPathEqualTo("/v2/droplets/" + DROPLET)).willReturn(okJson(droplet("active"))));

        try (BastionControl control = control()) {
            control.start();
        }

        api.verify(0, postRequestedFor(urlPathEqualTo("/v2/droplets/" + DROPLET + "/actions")));
    }

    @Test
    void a429IsRetriedAfterItsRetryAfter() {
        api.stubFor(get(urlPathEqualTo("/v2/droplets/" + DROPLET)).inScenario("rate").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withHeader("Content-Type", "application/json")
                        .withBody("{\"id\": \"too_many_requests\", \"message\": \"API Rate limit exceeded.\"}")));
        api.stubFor(get(urlPathEqualTo("/v2/droplets/" + DROPLET)).inScenario("rate").whenScenarioStateIs("ok").willReturn(okJson(droplet("active"))));

        try (BastionControl control = control()) {
            assertThat(control.status().state()).isEqualTo(State.RUNNING);
        }

        List<LoggedRequest> requests = api.findAll(getRequestedFor(urlPathEqualTo("/v2/droplets/" + DROPLET)));
        assertThat(requests).hasSize(2);
        Duration gap = Duration.between(requests.get(0).getLoggedDate().toInstant(), requests.get(1).getLoggedDate().toInstant());
        assertThat(gap).as("Retry-After: 1 honoured, not the 100 ms backoff").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        System.out.printf("DigitalOceanBastionControlIT: 429 Retry-After 1 -> retried after %d ms%n", gap.toMillis());
    }

    @Test
    void serverErrorsBackOffAndGiveUpAsTransientAfterTheStatedAttempts() {
        api.stubFor(get(urlPathEqualTo("/v2/droplets/" + DROPLET)).willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"service_unavailable\", \"message\": \"" + TOKEN + "\"}")));

        Instant t0 = Instant.now();
        try (BastionControl control = control()) {
            assertThatThrownBy(control::status)
                    .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.permanent()).isFalse())
                    .hasMessageContaining("HTTP 503")
                    .message().doesNotContain(TOKEN);
        }
        Duration took = Duration.between(t0, Instant.now());

        assertThat(api.findAll(getRequestedFor(urlPathEqualTo("/v2/droplets/" + DROPLET)))).hasSize(CloudSettings.DEFAULTS.maxAttempts());
        assertThat(took).as("backoff 100+200+400 ms").isGreaterThanOrEqualTo(Duration.ofMillis(700));
        System.out.printf("DigitalOceanBastionControlIT: endless 503 -> %d attempts in %d ms%n", CloudSettings.DEFAULTS.maxAttempts(), took.toMillis());
    }

    @Test
    void a401IsPermanentNamesTheTokenFileAndNeverCarriesTheToken() {
        api.stubFor(get(urlPathEqualTo("/v2/droplets/" + DROPLET)).willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"unauthorized\", \"message\": \"Unable to authenticate you. Bearer " + TOKEN + "\"}")));

        try (BastionControl control = control()) {
            assertThatThrownBy(control::status)
                    .isInstanceOfSatisfying(CloudException.class, e -> {
                        assertThat(e.permanent()).isTrue();
                        assertThat(e.getCause()).isNull();
                        assertThat(e.toString()).doesNotContain(TOKEN);
                    })
                    .hasMessageContaining("refused the API token")
                    .hasMessageContaining(tokenFile.toString());
        }
        api.verify(1, getRequestedFor(urlPathEqualTo("/v2/droplets/" + DROPLET)));
    }

    @Test
    void anUnknownDropletIsPermanent() {
        api.stubFor(get(urlPathEqualTo("/v2/droplets/" + DROPLET)).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"not_found\", \"message\": \"The resource you were accessing could not be found.\"}")));

        try (BastionControl control = control()) {
            assertThatThrownBy(control::start)
                    .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.permanent()).isTrue())
                    .hasMessageContaining("bastion.digitalocean.dropletId");
        }
    }

    @Test
    void aTokenFileOthersCanReadIsRefusedLikeOpenSshRefusesAKey() throws Exception {
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(this::control).isInstanceOf(ConfigException.class)
                .hasMessageContaining(tokenFile.toString()).hasMessageContaining("chmod 600 " + tokenFile)
                .message().doesNotContain(TOKEN);
        assertThat(api.getAllServeEvents()).as("nothing was sent").isEmpty();
    }

    /** The shape of GET /v2/droplets/{id} in DigitalOcean's API reference, trimmed to what a droplet always has. */
    private static String droplet(String status) {
        return """
                {"droplet": {"id": %d, "name": "lifeline-bastion", "memory": 512, "vcpus": 1, "disk": 10, "locked": false,
                  "status": "%s", "created_at": "2025-11-14T16:29:21Z", "features": ["monitoring"], "backup_ids": [],
                  "snapshot_ids": [], "size_slug": "s-1vcpu-512mb-10gb",
                  "networks": {"v4": [{"ip_address": "10.128.192.124", "netmask": "255.255.0.0", "gateway": "", "type": "private"},
                                      {"ip_address": "104.131.186.241", "netmask": "255.255.240.0", "gateway": "104.131.176.1", "type": "public"}],
                               "v6": []},
                  "region": {"name": "Frankfurt 1", "slug": "fra1", "sizes": ["s-1vcpu-512mb-10gb"], "features": ["metadata"], "available": true},
                  "tags": ["lifeline"], "volume_ids": []}}
                """.formatted(DROPLET, status);
    }

    /** The documented answer to POST /v2/droplets/{id}/actions (201 Created). */
    private static String action(String type) {
        return """
                {"action": {"id": 36804636, "status": "in-progress", "type": "%s", "started_at": "2025-11-14T16:31:00Z",
                  "completed_at": null, "resource_id": %d, "resource_type": "droplet",
                  "region": {"name": "Frankfurt 1", "slug": "fra1", "sizes": [], "features": [], "available": true}, "region_slug": "fra1"}}
                """.formatted(type, DROPLET);
    }
}
