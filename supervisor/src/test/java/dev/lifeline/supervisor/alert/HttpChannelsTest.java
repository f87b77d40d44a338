package dev.lifeline.supervisor.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.github.tomakehurst.wiremock.WireMockServer;


class HttpChannelsTest {
    private final WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final ChannelHttp http = new ChannelHttp(Duration.ofSeconds(3));

    @BeforeEach
    void start() {
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Nested
    class Telegram {
        private final String path = "/bot" + Channels.BOT_TOKEN + "/sendMessage";

        private TelegramBot bot() {
            return new TelegramBot(Channels.telegram(server.port()), Channels.BOT_TOKEN, http);
        }

        @Test
        void theMessageIsPostedAsJsonToTheBotsSendMessageAndItsIdIsTheReceipt() {
            server.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)
                    .withBody("{\"ok\":true,\"result\":{\"message_id\":4711,\"chat\":{\"id\":-1001234567}}}")));

            Delivery d = bot().send(Channels.alert("lifeline: primary line DOWN"));

            assertThat(d.receipt()).isEqualTo("4711");
            server.verify(1, postRequestedFor(urlEqualTo(path)).withHeader("Content-Type", equalTo("application/json"))
                    .withRequestBody(equalToJson("{\"chat_id\":\"-1001234567\",\"text\":\"lifeline: primary line DOWN\"}")));
        }

        @ParameterizedTest(name = "HTTP {0} → permanent {1}")
        @CsvSource({"400, true, Bad Request: chat not found", "403, true, Forbidden: bot was blocked by the user",
            "401, true, Unauthorized", "404, true, Not Found", "429, false, Too Many Requests: retry after 7", "502, false, Bad Gateway"})
        void errorsAreSortedIntoFixTheConfigAndTryAgain(int status, boolean permanent, String description) {
            server.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(status).withBody(
                    "{\"ok\":false,\"error_code\":" + status + ",\"description\":\"" + description + "\",\"parameters\":{\"retry_after\":7}}")));

            NotifierException e = catchThrowableOfType(NotifierException.class, () -> bot().send(Channels.alert("x")));

            assertThat(e.permanent()).isEqualTo(permanent);
            assertThat(e.getMessage()).contains(description);
            if (status == 429) {
                assertThat(e.getMessage()).contains("retry after 7 s");
            }
            TwilioSmsTest.assertNoToken(e);
        }

        @Test
        void aClosedPortIsTransientAndTheUrlWithTheTokenIsNowhere() throws Exception {
            int closed;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                closed = s.getLocalPort();
            }
            TelegramBot bot = new TelegramBot(new TelegramSection(Path.of("/unused"), "42", URI.create("http://127.0.0.1:" + closed)),
                    Channels.BOT_TOKEN, http);

            NotifierException e = catchThrowableOfType(NotifierException.class, () -> bot.send(Channels.alert("x")));

            assertThat(e.permanent()).isFalse();
            assertThat(e.getMessage()).startsWith("Telegram not reached");
            TwilioSmsTest.assertNoToken(e);
        }
    }

    @Nested
    class Webhooks {
        @Test
        void jsonCarriesTheAlertsFieldsAndTheBearerToken() {
            server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
            Webhook hook = new Webhook(Channels.webhook(server.port(), WebhookSection.Format.JSON), Channels.WEBHOOK_TOKEN, http);

            Delivery d = hook.send(Channels.alert("lifeline: primary line DOWN"));

            assertThat(d.receipt()).isEqualTo("HTTP 204");
            server.verify(postRequestedFor(urlEqualTo("/hook"))
                    .withHeader("Authorization", equalTo("Bearer " + Channels.WEBHOOK_TOKEN))
                    .withHeader("Content-Type", equalTo("application/json"))
                    .withRequestBody(equalToJson("{\"title\":\"lifeline: primary line DOWN\",\"message\":\"lifeline: primary line DOWN\","
                            + "\"severity\":\"immediate\",\"condition\":\"primary.outage\",\"id\":\"a-1\",\"at\":\"2025-01-31T21:04:00Z\"}")));
        }

        @Test
        void ntfyGetsTheTextAsBodyAndTitlePriorityTagsAsHeaders() {
            server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"abc\"}")));
            Webhook hook = new Webhook(Channels.webhook(server.port(), WebhookSection.Format.NTFY), null, http);

            hook.send(Channels.alert("lifeline: Störung primary line DOWN\nsince 22:04"));

            server.verify(postRequestedFor(urlEqualTo("/hook"))
                    .withHeader("Title", equalTo("lifeline: St?rung primary line DOWN"))
                    .withHeader("Priority", equalTo("high"))
                    .withHeader("Tags", equalTo("rotating_light"))
                    .withHeader("Authorization", absent())
                    .withRequestBody(equalTo("lifeline: Störung primary line DOWN\nsince 22:04")));
        }

        @ParameterizedTest(name = "HTTP {0} → permanent {1}")
        @CsvSource({"400, true", "401, true", "404, true", "408, false", "429, false", "500, false", "503, false"})
        void fourHundredsArePermanentExceptTimeoutAndRateLimit(int status, boolean permanent) {
            server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(status).withBody("echo " + Channels.WEBHOOK_TOKEN)));
            Webhook hook = new Webhook(Channels.webhook(server.port(), WebhookSection.Format.JSON), Channels.WEBHOOK_TOKEN, http);

            NotifierException e = catchThrowableOfType(NotifierException.class, () -> hook.send(Channels.alert("x")));

            assertThat(e.permanent()).isEqualTo(permanent);
            assertThat(e.getMessage()).contains("HTTP " + status);
            TwilioSmsTest.assertNoToken(e);
        }
    }
}
