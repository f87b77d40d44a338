package dev.lifeline.supervisor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.templates.testing.TestKeys;

class AlertsConfigTest {
    private static final String HOST_KEY = TestKeys.ed25519("bastion").publicLine().replace(" bastion", "");
    private static final String TOKEN = "twilio-token-in-a-file-never-shown";

    @TempDir
    Path dir;
    private Path key;
    private Path token;
    private Path password;
    private Path bot;

    @BeforeEach
    void writeFiles() throws Exception {
        key = secret("tunnel1", TestKeys.ed25519("t1").privatePem());
        token = secret("twilio-token", TOKEN + "\n");
        password = secret("smtp-password", "pw");
        bot = secret("bot-token", "1:abc");
    }

    private Path secret(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        TestConfigs.privateFile(f, content);
        return f;
    }

    /** Lines 1–11 are the bastion and one tunnel; alerts starts on line 12. */
    private String valid() {
        return (TestConfigs.TUNNEL_ONLY + """
                alerts:
                  email:
                    smtp: smtp.example.com:587
                    security: starttls
                    username: lifeline@example.com
                    passwordFile: %s
                    from: lifeline@example.com
                    to: [admin@example.com]
                  twilio:
                    accountSid: AC0123456789abcdef0123456789abcdef
                    authTokenFile: %s
                    from: "+14155550100"
                    to: ["+14155550111", "+4915112345678"]
                  telegram:
                    botTokenFile: %s
                    chatId: "-1001234567"
                  webhook:
                    url: https://ntfy.sh/my-home
                    format: ntfy
                  fallbackAfter: 5m
                  zone: Europe/Berlin
                """).formatted(HOST_KEY, key, password, token, bot);
    }

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("lifeline.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void aValidSectionReadsWithTheOrderAsWrittenAndDefaultsForWhatIsLeftOut() throws Exception {
        AlertsSection a = ConfigLoader.load(write(valid())).alerts();

        assertThat(a.order()).containsExactly("email", "twilio", "telegram", "webhook");
        assertThat(a.twilio().to()).containsExactly("+14155550111", "+4915112345678");
        assertThat(a.twilio().authTokenFile()).isEqualTo(token);
        assertThat(a.twilio().fromIsMessagingService()).isFalse();
        assertThat(a.email().smtpHost()).isEqualTo("smtp.example.com");
        assertThat(a.email().smtpPort()).isEqualTo(587);
        assertThat(a.email().security()).isEqualTo(EmailSection.Security.STARTTLS);
        assertThat(a.telegram().endpoint()).isEqualTo(TelegramSection.TELEGRAM);
        assertThat(a.webhook().format()).isEqualTo(WebhookSection.Format.NTFY);
        assertThat(a.fallbackAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(a.repeatAfter()).isEqualTo(Duration.ofHours(6));
        assertThat(a.ratePerHour()).isEqualTo(10);
        assertThat(a.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(a.toString()).doesNotContain(TOKEN);
    }

    @Test
    void anExplicitOrderWins() throws Exception {
        AlertsSection a = ConfigLoader.load(write(valid().replace("  zone: Europe/Berlin\n",
                "  zone: Europe/Berlin\n  order: [twilio, telegram, webhook, email]\n"))).alerts();

        assertThat(a.order()).containsExactly("twilio", "telegram", "webhook", "email");
    }

    @Test
    void withoutAnAlertsSectionThereAreNoAlertsAndTheOldConstructorStillWorks() throws Exception {
        SupervisorConfig c = ConfigLoader.load(write(valid().substring(0, valid().indexOf("alerts:"))));

        assertThat(c.alerts()).isNull();
        assertThat(new SupervisorConfig(c.bastion(), c.tunnels(), c.ssh()).alerts()).isNull();
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("short account sid", "accountSid: AC0123456789abcdef0123456789abcdef", "accountSid: AC0123",
                        "line 21: alerts.twilio.accountSid: accountSid must be AC followed by 32 hex digits, 34 characters"),
                Arguments.of("number without +", "\"+4915112345678\"", "\"015112345678\"",
                        "line 24: alerts.twilio.to: to: 015112345678 is not a phone number in E.164 form"),
                Arguments.of("from not a number", "from: \"+14155550100\"", "from: lifeline",
                        "line 23: alerts.twilio.from: from must be a Twilio number in E.164 form"),
                Arguments.of("unknown twilio key", "    authTokenFile: ", "    authToken: x\n    authTokenFile: ",
                        "line 22: alerts.twilio.authToken: unknown key; known here: accountSid, authTokenFile, endpoint, from, to"),
                Arguments.of("smtp without port", "smtp: smtp.example.com:587", "smtp: smtp.example.com",
                        "line 14: alerts.email.smtp: smtp must be HOST:PORT"),
                Arguments.of("clear text to a remote server", "security: starttls", "security: none",
                        "line 15: alerts.email.security: security: none sends the password and alerts in clear text"),
                Arguments.of("unknown security", "security: starttls", "security: ssl",
                        "line 15: alerts.email.security: security must be starttls, tls or none"),
                Arguments.of("chat id a name", "chatId: \"-1001234567\"", "chatId: my chat",
                        "line 27: alerts.telegram.chatId: chatId must be the chat's number"),
                Arguments.of("webhook format", "format: ntfy", "format: slack", "line 30: alerts.webhook.format: format must be json or ntfy"),
                Arguments.of("webhook with a password in the url", "url: https://ntfy.sh/my-home", "url: https://me:pw@ntfy.sh/my-home",
                        "line 29: alerts.webhook.url: url must not carry user:password"),
                Arguments.of("order with an unconfigured channel", "  zone: Europe/Berlin\n", "  zone: Europe/Berlin\n  order: [twilio, pager]\n",
                        "line 33: alerts.order: order: pager is not a channel"),
                Arguments.of("order leaving one out", "  zone: Europe/Berlin\n", "  zone: Europe/Berlin\n  order: [twilio, email, telegram]\n",
                        "alerts.order: order leaves out webhook, which is configured"),
                Arguments.of("bad duration", "fallbackAfter: 5m", "fallbackAfter: soon", "line 31: alerts.fallbackAfter: 'soon' is not a duration"),
                Arguments.of("rate zero", "  zone: Europe/Berlin\n", "  zone: Europe/Berlin\n  ratePerHour: 0\n",
                        "alerts.ratePerHour: ratePerHour must be 1..3600"),
                Arguments.of("unknown zone", "zone: Europe/Berlin", "zone: Berlin", "line 32: alerts.zone: zone must be a time zone such as Europe/Berlin"),
                Arguments.of("missing token file", "botTokenFile: ", "botTokenFile: /nonexistent",
                        "line 26: alerts.telegram.botTokenFile: botTokenFile /nonexistent"));
    }

    @Test
    void aWebhookTokenTravelsOnlyOverHttpsOrLoopback() throws Exception {
        String withToken = valid().replace("    format: ntfy\n", "    tokenFile: " + token + "\n    format: ntfy\n");
        Path plain = write(withToken.replace("url: https://ntfy.sh/my-home", "url: http://ntfy.sh/my-home"));

        assertThatThrownBy(() -> ConfigLoader.load(plain)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("alerts.webhook.url: url must be https:// when a tokenFile is set");
        for (String ok : List.of("https://ntfy.sh/my-home", "http://127.0.0.1:8080/hook", "http://[::1]:8080/hook", "http://localhost/hook")) {
            assertThat(ConfigLoader.load(write(withToken.replace("url: https://ntfy.sh/my-home", "url: " + ok))).alerts().webhook().url())
                    .hasToString(ok);
        }
        assertThat(ConfigLoader.load(write(valid().replace("url: https://ntfy.sh/my-home", "url: http://ntfy.sh/my-home")))
                .alerts().webhook().tokenFile()).as("no token, nothing to leak: http stays allowed").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void aBrokenAlertsSectionNamesTheLineTheKeyAndTheFix(String name, String from, String to, String message) throws Exception {
        assertThat(valid()).contains(from);
        String yaml = valid().replace(from, to).replace("/nonexistent" + bot, "/nonexistent");
        Path file = write(yaml);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    @Test
    void anEmptyAlertsSectionSaysToAddAChannel() throws Exception {
        Path file = write(valid().substring(0, valid().indexOf("alerts:")) + "alerts:\n  zone: UTC\n");

        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 12: alerts: alerts configures no channel; add twilio, email, telegram or webhook");
    }

    @Test
    void aTokenFileTheGroupCanReadIsRefusedWithTheFix() throws Exception {
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r-----"));
        Path file = write(valid());

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 22: alerts.twilio.authTokenFile: authTokenFile " + token + " is readable by others (rw-r-----)")
                .hasMessageContaining("chmod 600 " + token)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    @Test
    void clearTextSmtpIsAllowedToALocalRelay() throws Exception {
        AlertsSection a = ConfigLoader.load(write(valid().replace("smtp: smtp.example.com:587", "smtp: 127.0.0.1:25")
                .replace("security: starttls", "security: none"))).alerts();

        assertThat(a.email().security()).isEqualTo(EmailSection.Security.NONE);
        assertThat(List.of(a.email().smtpHost(), a.email().smtpPort())).containsExactly("127.0.0.1", 25);
    }
}
