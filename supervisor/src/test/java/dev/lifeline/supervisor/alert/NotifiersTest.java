package dev.lifeline.supervisor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.supervisor.testing.TwilioStandIn;

/** The channels as `lifeline run` makes them: secrets read and checked at once, the SMS and mail clients at the first send. */
class NotifiersTest {
    @TempDir
    Path dir;

    private TwilioStandIn twilio;

    @BeforeEach
    void start() {
        twilio = new TwilioStandIn(Channels.ACCOUNT_SID);
    }

    @AfterEach
    void stop() {
        twilio.close();
    }

    private AlertsSection alerts(Path twilioToken, Path mailPassword) {
        TwilioSection sms = new TwilioSection(Channels.ACCOUNT_SID, twilioToken, "+14155550100", List.of("+14155550111"),
                twilio.endpoint());
        EmailSection mail = new EmailSection("127.0.0.1", 2525, EmailSection.Security.NONE, "lifeline", mailPassword, "lifeline@home.example",
                List.of("admin@example.com"));
        return new AlertsSection(sms, mail, null, null, null, null, null, 10, ZoneOffset.UTC);
    }

    @Test
    void aTokenFileOpenToOthersStopsTheStartThoughTheClientWaitsForTheFirstSend() throws Exception {
        Path token = TestConfigs.privateFile(dir.resolve("twilio-token"), Channels.TWILIO_TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        Path password = TestConfigs.privateFile(dir.resolve("smtp-password"), Channels.SMTP_PASSWORD + "\n");

        assertThatThrownBy(() -> Notifiers.fromConfig(alerts(token, password), Duration.ofSeconds(3)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("alerts.twilio.authTokenFile");
    }

    @Test
    void aMissingPasswordFileStopsTheStart() {
        Path token = TestConfigs.privateFile(dir.resolve("twilio-token"), Channels.TWILIO_TOKEN + "\n");

        assertThatThrownBy(() -> Notifiers.fromConfig(alerts(token, dir.resolve("no-such-password")), Duration.ofSeconds(3)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("alerts.email.passwordFile");
    }

    @Test
    void theFirstSendMakesTheClientAndEachSendReachesTheChannel() {
        twilio.accepts("SM1");
        Path token = TestConfigs.privateFile(dir.resolve("twilio-token"), Channels.TWILIO_TOKEN + "\n");
        Path password = TestConfigs.privateFile(dir.resolve("smtp-password"), Channels.SMTP_PASSWORD + "\n");

        List<Notifier> channels = Notifiers.fromConfig(alerts(token, password), Duration.ofSeconds(3));

        assertThat(channels).extracting(Notifier::name).containsExactly("twilio", "email");
        Notifier sms = channels.get(0);
        assertThat(sms.send(Channels.alert("lifeline: primary line DOWN")).receipt()).isEqualTo("SM1");
        assertThat(sms.send(Channels.alert("lifeline: primary line UP")).receipt()).isEqualTo("SM1");
        twilio.wireMock().verify(2, twilio.messagesPosted());
    }

    @Test
    void aChannelIsMadeAtItsFirstSendAndKeptForTheNext() {
        AtomicInteger made = new AtomicInteger();
        Notifier lazy = new MadeOnFirstSend("counted", () -> {
            int n = made.incrementAndGet();
            return new Notifier() {
                @Override
                public String name() {
                    return "counted";
                }

                @Override
                public Delivery send(Alert alert) {
                    return new Delivery(name(), alert.id(), "client-" + n);
                }
            };
        });

        assertThat(lazy.name()).isEqualTo("counted");
        assertThat(made).as("made before any send").hasValue(0);
        assertThat(lazy.send(Channels.alert("first")).receipt()).isEqualTo("client-1");
        assertThat(lazy.send(Channels.alert("second")).receipt()).isEqualTo("client-1");
        assertThat(made).hasValue(1);
    }
}
