package dev.lifeline.supervisor.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

import picocli.CommandLine;

import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.supervisor.testing.TestConfigs;

/** {@code lifeline test-alert} against WireMock (Twilio, Telegram, webhook) and GreenMail (SMTP), all on 127.0.0.1. */
class TestAlertCommandTest {
    private static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    private static final String TWILIO_TOKEN = "cli-twilio-token-7c1d0e9f";
    private static final String SMTP_PASSWORD = "cli-smtp-pw-Qq9never";
    private static final String BOT_TOKEN = "987654:cli-bot-token-ZZneverZZ";
    private static final String WEBHOOK_TOKEN = "cli-webhook-token-k3y";
    private static final List<String> SECRETS = List.of(TWILIO_TOKEN, SMTP_PASSWORD, BOT_TOKEN, WEBHOOK_TOKEN);
    private static final String MESSAGES = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("lifeline", SMTP_PASSWORD))
            .withPerMethodLifecycle(true);

    @TempDir
    Path dir;
    private final WireMockServer http = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private PrintStream realErr;
    private PrintStream realOut;

    @BeforeEach
    void start() {
        http.start();
        // slf4j-simple writes to whatever System.err is at the time of each log line: this catches every library's logging.
        realErr = System.err;
        realOut = System.out;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setErr(realErr);
        System.setOut(realOut);
        http.stop();
    }

    private Path secret(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        TestConfigs.privateFile(f, content + "\n");
        return f;
    }

    private Path config(String smtpPassword) throws Exception {
        Path key = secret("tunnel1", TestKeys.ed25519("t1").privatePem());
        String base = "http://127.0.0.1:" + http.port();
        Files.writeString(dir.resolve("lifeline.yaml"), """
                bastion: {provider: local, host: 203.0.113.10, port: 47022, hostKey: "[203.0.113.10]:47022 %s"}
                tunnels:
                  - {name: primary, user: tunnel1, key: %s, remote: "127.0.0.1:29000", local: "127.0.0.1:8080"}
                alerts:
                  twilio: {accountSid: %s, authTokenFile: %s, from: "+14155550100", to: ["+14155550111"], endpoint: "%s"}
                  email: {smtp: "127.0.0.1:%d", security: none, username: lifeline, passwordFile: %s, from: lifeline@home.example, to: [admin@example.com]}
                  telegram: {botTokenFile: %s, chatId: "42", endpoint: "%s"}
                  webhook: {url: "%s/hook", tokenFile: %s, format: json}
                """.formatted(TestKeys.ed25519("bastion").publicLine().replace(" bastion", ""), key, ACCOUNT_SID,
                secret("twilio-token", TWILIO_TOKEN), base, SMTP.getSmtp().getPort(), secret("smtp-pw", smtpPassword),
                secret("bot-token", BOT_TOKEN), base, base, secret("webhook-token", WEBHOOK_TOKEN)));
        return dir.resolve("lifeline.yaml");
    }

    private int lifeline(String... args) {
        return new CommandLine(new Lifeline()).setExitCodeExceptionMapper(e -> Lifeline.BAD_INPUT)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private void everyChannelAccepts() {
        http.stubFor(post(urlEqualTo(MESSAGES)).willReturn(aResponse().withStatus(201).withBody("{\"sid\":\"SMcli1\"}")));
        http.stubFor(post(urlEqualTo("/bot" + BOT_TOKEN + "/sendMessage")).willReturn(aResponse().withStatus(200)
                .withBody("{\"ok\":true,\"result\":{\"message_id\":77}}")));
        http.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(202)));
    }

    @Test
    void everyChannelIsTriedInOrderAndEachAnswerPrinted() throws Exception {
        everyChannelAccepts();

        int code = lifeline("test-alert", "--config", config(SMTP_PASSWORD).toString());

        assertThat(code).as("stderr: %s", err).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("twilio").contains("accepted").contains("SMcli1");
        assertThat(lines.get(1)).startsWith("email").contains("accepted").contains("<");
        assertThat(lines.get(2)).startsWith("telegram").contains("accepted").endsWith("77");
        assertThat(lines.get(3)).startsWith("webhook").contains("accepted").contains("HTTP 202");
        assertThat(SMTP.getReceivedMessages()).hasSize(1);
        assertThat(SMTP.getReceivedMessages()[0].getSubject()).startsWith("lifeline: test alert from ");
    }

    @Test
    void oneRefusingChannelMakesTheExitCodeOne() throws Exception {
        http.stubFor(post(urlEqualTo("/bot" + BOT_TOKEN + "/sendMessage")).willReturn(aResponse().withStatus(403)
                .withBody("{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}")));

        int code = lifeline("test-alert", "--config", config(SMTP_PASSWORD).toString(), "--channel", "telegram");

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).startsWith("telegram").contains("FAILED").contains("bot was blocked").contains("[permanent");
        assertThat(out.toString().lines()).hasSize(1);
    }

    @Test
    void anUnconfiguredChannelIsBadInput() throws Exception {
        int code = lifeline("test-alert", "--config", config(SMTP_PASSWORD).toString(), "--channel", "pager");

        assertThat(code).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(err.toString()).contains("--channel pager is not configured; configured: twilio, email, telegram, webhook");
    }

    @Test
    void aSecretFileOthersCanReadIsBadInputNamingTheFix() throws Exception {
        Path cfg = config(SMTP_PASSWORD);
        Files.setPosixFilePermissions(dir.resolve("bot-token"), PosixFilePermissions.fromString("rw-r--r--"));

        int code = lifeline("test-alert", "--config", cfg.toString());

        assertThat(code).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(err.toString()).contains("alerts.telegram.botTokenFile").contains("chmod 600");
    }

    @Test
    void helpSaysTheOutboxIsNotUsedAndDocumentsTheExitCodes() {
        lifeline("test-alert", "--help");

        assertThat(out.toString()).contains("no outbox").contains("Exit codes:").contains("2   bad input");
    }

    @Test
    void noSecretReachesTheOutputTheLogsOrAnErrorWhateverEachChannelAnswers() throws Exception {
        // Every channel fails in the way most likely to echo what it was sent; then every channel succeeds.
        http.stubFor(post(urlEqualTo(MESSAGES)).willReturn(aResponse().withStatus(401)
                .withBody("{\"code\":20003,\"message\":\"Authenticate " + TWILIO_TOKEN + "\",\"status\":401}")));
        http.stubFor(post(urlPathMatching("/bot.*")).willReturn(aResponse().withStatus(404)
                .withBody("{\"ok\":false,\"error_code\":404,\"description\":\"Not Found: /bot" + BOT_TOKEN + "/sendMessage\"}")));
        http.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(500).withBody("bad token " + WEBHOOK_TOKEN)));
        int failed = lifeline("test-alert", "--config", config("wrong-" + SMTP_PASSWORD).toString());
        http.resetAll();
        everyChannelAccepts();
        int accepted = lifeline("test-alert", "--config", config(SMTP_PASSWORD).toString());

        assertThat(failed).isEqualTo(1);
        assertThat(accepted).isZero();
        assertThat(out.toString()).contains("twilio    FAILED").contains("email     FAILED").contains("refused the login")
                .contains("telegram  FAILED").contains("webhook   FAILED").contains("SMcli1");
        String everything = out + "\n" + err + "\n" + logs.toString(StandardCharsets.UTF_8);
        assertThat(logs.toString(StandardCharsets.UTF_8)).as("the log capture works: TwilioSms logs its refusal").contains("not sent");
        for (String secret : SECRETS) {
            assertThat(everything).as("output, errors and logs").doesNotContain(secret);
        }
    }
}
