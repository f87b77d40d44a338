package dev.lifeline.supervisor.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.lifeline.supervisor.testing.TwilioStandIn;

class TwilioSmsTest {
    private TwilioStandIn twilio;
    private WireMockServer stubs;

    @BeforeEach
    void start() {
        twilio = new TwilioStandIn(Channels.ACCOUNT_SID);
        stubs = twilio.wireMock();
    }

    @AfterEach
    void stop() {
        twilio.close();
    }

    private TwilioSms sms(String from, String... to) {
        return new TwilioSms(Channels.twilio(from, List.of(to), twilio.port()), Channels.TWILIO_TOKEN, Duration.ofSeconds(3));
    }

    @Test
    void eachNumberGetsOnePostWithTheFormFieldsAndBasicAuthTwilioExpects() {
        stubs.stubFor(twilio.messagePost().withFormParam("To", equalTo("+14155550111")).willReturn(twilio.created("SM111")));
        stubs.stubFor(twilio.messagePost().withFormParam("To", equalTo("+4915112345678")).willReturn(twilio.created("SM222")));

        Delivery d = sms("+14155550100", "+14155550111", "+4915112345678").send(Channels.alert("lifeline: primary line DOWN since 22:04"));

        assertThat(d.receipt()).isEqualTo("SM111,SM222");
        String basic = "Basic " + Base64.getEncoder().encodeToString((Channels.ACCOUNT_SID + ":" + Channels.TWILIO_TOKEN).getBytes(StandardCharsets.UTF_8));
        stubs.verify(1, twilio.messagesPosted()
                .withHeader("Authorization", equalTo(basic))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withFormParam("To", equalTo("+14155550111"))
                .withFormParam("From", equalTo("+14155550100"))
                .withFormParam("Body", equalTo("lifeline: primary line DOWN since 22:04")));
        stubs.verify(2, twilio.messagesPosted());
    }

    @Test
    void aMessagingServiceIsNamedInItsOwnFieldInsteadOfFrom() {
        String service = "MG" + "abcdef0123456789".repeat(2);
        twilio.accepts("SM333");

        sms(service, "+14155550111").send(Channels.alert("x"));

        stubs.verify(twilio.messagesPosted().withFormParam("MessagingServiceSid", equalTo(service))
                .withoutFormParam("From"));
    }

    @Test
    void anInvalidToNumberIsPermanentAndSaysWhichNumber() {
        twilio.refuses(400, 21211, "The 'To' number +15005550001 is not a valid phone number.");

        NotifierException e = catchThrowableOfType(NotifierException.class, () -> sms("+14155550100", "+15005550001").send(Channels.alert("x")));

        assertThat(e.permanent()).isTrue();
        assertThat(e.getMessage()).contains("+15005550001").contains("21211").contains("not a valid phone number");
        assertNoToken(e);
    }

    @Test
    void refusedCredentialsArePermanentAndPointAtTheTokenFile() {
        twilio.refuses(401, 20003, "Authenticate");

        NotifierException e = catchThrowableOfType(NotifierException.class, () -> sms("+14155550100", "+14155550111").send(Channels.alert("x")));

        assertThat(e.permanent()).isTrue();
        assertThat(e.getMessage()).contains("check accountSid and authTokenFile");
        assertNoToken(e);
    }

    @Test
    void aServerErrorIsTransientAfterTheSdksFewRetries() {
        twilio.refuses(500, 20500, "Internal Server Error");

        NotifierException e = catchThrowableOfType(NotifierException.class, () -> sms("+14155550100", "+14155550111").send(Channels.alert("x")));

        assertThat(e.permanent()).isFalse();
        // twilio-java 13.0.1, com.twilio.http.HttpClient.reliableRequest: RETRY_CODES = {ANY_500}, RETRIES = 3 — the
        // loop sends at most three requests, 100 ms apart (DELAY_MILLIS), then returns the last 5xx to us.
        assertThat(stubs.countRequestsMatching(twilio.messagesPosted().build()).getCount())
                .as("the SDK's own tries for a 5xx: three in all, then the outbox's backoff takes over").isEqualTo(3);
        assertNoToken(e);
    }

    @Test
    void aRateLimitIsTransient() {
        twilio.refuses(429, 20429, "Too Many Requests");

        NotifierException e = catchThrowableOfType(NotifierException.class, () -> sms("+14155550100", "+14155550111").send(Channels.alert("x")));

        assertThat(e.permanent()).isFalse();
    }

    @Test
    void aClosedPortIsTransientAndFastEnough() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        TwilioSms sms = new TwilioSms(new TwilioSection(Channels.ACCOUNT_SID, Path.of("/unused"), "+14155550100",
                List.of("+14155550111"), URI.create("http://127.0.0.1:" + closed)), Channels.TWILIO_TOKEN, Duration.ofSeconds(2));

        long start = System.nanoTime();
        NotifierException e = catchThrowableOfType(NotifierException.class, () -> sms.send(Channels.alert("x")));

        assertThat(e.permanent()).isFalse();
        assertThat(e.getMessage()).contains("Twilio not reached");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertNoToken(e);
    }

    @Test
    void aLongTextIsCutToThreeSegmentsAtAWord() {
        twilio.accepts("SM444");
        String longText = "lifeline: backup line problem " + "latency 180 ms over 150 ms ".repeat(30);

        sms("+14155550100", "+14155550111").send(Channels.alert(longText));

        String body = stubs.getAllServeEvents().get(0).getRequest().formParameters().get("Body").firstValue();
        assertThat(body).hasSizeLessThanOrEqualTo(459).endsWith("...").startsWith("lifeline: backup line problem");
        String kept = body.substring(0, body.length() - 3);
        assertThat(longText).as("cut at a word: what is kept is followed by a space in the original").startsWith(kept + " ");
        assertThat(body.length()).as("more than two segments' worth is kept").isGreaterThan(2 * 153);
    }

    @Test
    void theSenderNeverShowsItsTokenInToString() {
        TwilioSms sms = sms("+14155550100", "+14155550111");

        assertThat(sms.toString()).doesNotContain(Channels.TWILIO_TOKEN);
        assertThat(Channels.twilio("+14155550100", List.of("+14155550111"), 1).toString()).doesNotContain(Channels.TWILIO_TOKEN);
    }

    static void assertNoToken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (String secret : Channels.SECRETS) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
                assertThat(t.toString()).doesNotContain(secret);
            }
        }
    }
}
