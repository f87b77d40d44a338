package dev.lifeline.supervisor.cloud;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import dev.lifeline.supervisor.cloud.BastionStatus.State;
import dev.lifeline.templates.testing.MotoServer;

/**
 * The SDK's own retries, seen from the wire: WireMock stands between {@link AwsBastionControl} and moto, answers
 * the first requests with EC2's throttling error, then passes everything through. Requests are counted at WireMock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ec2RetriesIT {
    private static final String THROTTLED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors>\
            <RequestID>9c3a1b4e-0000-4000-8000-000000000001</RequestID></Response>""";

    private MotoServer moto;
    private WireMockServer wire;
    private String instanceId;
    private BastionControl control;

    @BeforeAll
    void start() {
        moto = MotoServer.start();
        instanceId = Ec2Instances.runOne(moto.endpoint());
        wire = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wire.start();
    }

    @AfterAll
    void stop() {
        if (wire != null) {
            wire.stop();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void passThroughToMoto() {
        wire.resetAll();
        wire.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(moto.endpoint().toString())));
        control = new AwsBastionControl(Ec2Instances.section(URI.create("http://127.0.0.1:" + wire.port()), instanceId), Ec2BastionScenarios.FAST);
    }

    @AfterEach
    void closeControl() {
        control.close();
    }

    @Test
    void twoThrottledAnswersAreRetriedAndTheThirdAttemptSucceeds() {
        throttleFirst(2, "DescribeInstances", 503);

        Instant t0 = Instant.now();
        BastionStatus status = control.status();
        Duration took = Duration.between(t0, Instant.now());

        assertThat(status.state()).isEqualTo(State.RUNNING);
        assertThat(describeRequests()).as("2 throttled + 1 through to moto").isEqualTo(3);
        System.out.printf("Ec2RetriesIT: 2 x RequestLimitExceeded then success: 3 requests in %d ms%n", took.toMillis());
    }

    @Test
    void aServerErrorIsRetriedToo() {
        throttleFirst(1, "StartInstances", 500);

        control.start();

        assertThat(wire.countRequestsMatching(postRequestedFor(urlEqualTo("/"))
                .withRequestBody(containing("Action=StartInstances")).build()).getCount()).isEqualTo(2);
    }

    @Test
    void throttlingThatNeverEndsGivesUpAfterTheStatedAttemptsAsATransientError() {
        throttleFirst(50, "DescribeInstances", 503);

        Instant t0 = Instant.now();
        assertThatThrownBy(control::status)
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.permanent()).isFalse())
                .hasMessageContaining("RequestLimitExceeded");
        Duration took = Duration.between(t0, Instant.now());

        assertThat(describeRequests()).isEqualTo(CloudSettings.DEFAULTS.maxAttempts());
        System.out.printf("Ec2RetriesIT: endless throttling: gave up after %d requests in %d ms%n", describeRequests(), took.toMillis());
    }

    @Test
    void refusedCredentialsArePermanentNotRetriedAndNeverPrinted() {
        wire.stubFor(post(urlEqualTo("/")).atPriority(1).willReturn(aResponse().withStatus(401).withHeader("Content-Type", "text/xml").withBody("""
                <?xml version="1.0" encoding="UTF-8"?>
                <Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate the provided access credentials</Message></Error></Errors><RequestID>r-1</RequestID></Response>""")));

        assertThatThrownBy(control::status)
                .isInstanceOfSatisfying(CloudException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getCause()).as("nothing from the SDK rides along").isNull();
                })
                // JDK's HttpURLConnection (url-connection-client) hands the SDK no body for a 401, so the status decides
                .hasMessageContaining("AWS refused the credentials")
                .hasMessageContaining("AWS_PROFILE")
                .message().doesNotContain(System.getProperty("aws.secretAccessKey")).doesNotContain(System.getProperty("aws.accessKeyId"));
        assertThat(describeRequests()).as("a refused credential is not retried").isEqualTo(1);
    }

    @Test
    void aMissingPermissionIsPermanentAndNamesTheAction() {
        wire.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=StopInstances")).atPriority(1)
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "text/xml").withBody("""
                        <Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>r-2</RequestID></Response>""")));

        assertThatThrownBy(control::stop)
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("allow ec2:StopInstances");
    }

    private void throttleFirst(int times, String action, int status) {
        for (int i = 0; i < times; i++) {
            wire.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=" + action)).atPriority(1)
                    .inScenario("throttle").whenScenarioStateIs(i == 0 ? Scenario.STARTED : "after-" + i)
                    .willSetStateTo("after-" + (i + 1))
                    .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
                            .withBody(status == 503 ? THROTTLED : THROTTLED.replace("RequestLimitExceeded", "InternalError"))));
        }
    }

    private int describeRequests() {
        return wire.countRequestsMatching(postRequestedFor(urlEqualTo("/"))
                .withRequestBody(containing("Action=DescribeInstances")).build()).getCount();
    }
}
