package dev.lifeline.supervisor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.testing.AlertReceiver;
import dev.lifeline.supervisor.testing.SimulatedClock;
import dev.lifeline.supervisor.testing.SimulatedScheduler;

/** The outbox against channels that are real HTTP clients of WireMock, on a simulated clock. */
class OutboxTest {
    private static final Instant START = Instant.parse("2025-03-01T08:00:00Z");
    /** No jitter: the attempt times below are exact. */
    private static final OutboxSettings EXACT = OutboxSettings.DEFAULTS.withRetry(Duration.ofSeconds(5), Duration.ofMinutes(10))
            .withJitter(0);

    @TempDir
    Path stateDir;
    private final SimulatedClock clock = new SimulatedClock(START);
    private final SimulatedScheduler scheduler = new SimulatedScheduler(clock);
    private AlertReceiver receiver;
    private int serial;

    @BeforeEach
    void startReceiver() {
        receiver = new AlertReceiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private Outbox open(OutboxSettings settings, String... channels) {
        List<Notifier> list = java.util.Arrays.stream(channels).map(n -> (Notifier) receiver.channel(n)).toList();
        return Outbox.open(stateDir, list, settings, clock, scheduler, new Random(7));
    }

    private Alert alert(Severity severity, String text) {
        return new Alert("a" + (++serial), clock.instant(), severity, "backup.health", text);
    }

    @Nested
    class LikeTwilio {
        @Test
        void fiveHundredsForThreeMinutesAreRetriedWithBackoffThenDeliveredOnce() {
            receiver.answer("sms", 500);
            Outbox outbox = open(EXACT, "sms");
            Alert a = alert(Severity.IMMEDIATE, "lifeline: primary line down");

            outbox.submit(a);
            scheduler.runFor(Duration.ofMinutes(3));
            // attempts at 0, 5, 15, 35, 75, 155 s
            assertThat(receiver.received("sms")).as("exponential backoff from 5 s").hasSize(6);
            assertThat(outbox.status().pending()).isEqualTo(1);
            assertThat(outbox.status().channels().get(0).lastFailureReason()).isEqualTo("sms: HTTP 500");

            receiver.answer("sms", 200);
            scheduler.runFor(Duration.ofMinutes(10));

            assertThat(receiver.countsById("sms")).containsEntry(a.id(), 7L);
            assertThat(receiver.received("sms")).hasSize(7);
            assertThat(outbox.status().pending()).isZero();
            assertThat(outbox.status().channels().get(0).lastSuccess()).isNotNull();
            assertThat(outboxFiles()).as("delivered alerts leave the disk").isEmpty();
        }

        @Test
        void aFourHundredIsNotRetriedButSurfacedInStatusAndLoggedOnce() {
            receiver.answer("sms", 400);
            Outbox outbox = open(EXACT, "sms");
            Alert a = alert(Severity.IMMEDIATE, "lifeline: bastion started");

            String log = capturingStderr(() -> {
                outbox.submit(a);
                scheduler.runFor(Duration.ofDays(1));
            });

            assertThat(receiver.received("sms")).as("one try in a day, not a retry loop").hasSize(1);
            OutboxStatus status = outbox.status();
            assertThat(status.pending()).isZero();
            assertThat(status.failed()).singleElement().satisfies(f -> {
                assertThat(f.alertId()).isEqualTo(a.id());
                assertThat(f.channel()).isEqualTo("sms");
                assertThat(f.reason()).isEqualTo("sms: HTTP 400");
            });
            assertThat(log.split("refused alert " + a.id(), -1)).as("logged once:\n" + log).hasSize(2);
        }
    }

    @Nested
    class Fallback {
        @Test
        void firstChannelDownLongerThanFallbackAfterAlsoSendsToTheSecond() {
            receiver.answer("sms", 503);
            receiver.answer("email", 200);
            Outbox outbox = open(EXACT.withFallbackAfter(Duration.ofMinutes(10)), "sms", "email");
            Alert a = alert(Severity.NORMAL, "lifeline: backup line: low speed");

            outbox.submit(a);
            scheduler.runFor(Duration.ofMinutes(9));
            assertThat(receiver.received("email")).as("before fallbackAfter").isEmpty();

            scheduler.runFor(Duration.ofMinutes(2));
            assertThat(receiver.countsById("email")).containsExactlyEntriesOf(java.util.Map.of(a.id(), 1L));
            assertThat(outbox.status().pending()).as("sms still owes it").isEqualTo(1);

            receiver.answer("sms", 200);
            scheduler.runFor(Duration.ofMinutes(15));
            assertThat(receiver.received("sms").stream().filter(r -> r.id().equals(a.id()))).isNotEmpty();
            assertThat(receiver.received("email")).as("email only once").hasSize(1);
            assertThat(outbox.status().pending()).isZero();
        }

        @Test
        void firstChannelHealthyTheSecondNeverSeesIt() {
            receiver.answer("sms", 200);
            receiver.answer("email", 200);
            Outbox outbox = open(EXACT, "sms", "email");

            for (int i = 0; i < 5; i++) {
                outbox.submit(alert(Severity.NORMAL, "lifeline: note " + i));
            }
            scheduler.runFor(Duration.ofDays(1));

            assertThat(receiver.received("sms")).hasSize(5);
            assertThat(receiver.received("email")).isEmpty();
        }

        @Test
        void aPermanentRefusalFallsBackAtOnce() {
            receiver.answer("sms", 400);
            receiver.answer("email", 200);
            Outbox outbox = open(EXACT, "sms", "email");
            Alert a = alert(Severity.NORMAL, "lifeline: note");

            outbox.submit(a);
            scheduler.runFor(Duration.ofSeconds(1));

            assertThat(receiver.countsById("email")).containsEntry(a.id(), 1L);
            assertThat(outbox.status().pending()).isZero();
        }
    }

    @Test
    void aCorruptRecordIsSetAsideAndTheOthersAreDelivered() throws Exception {
        receiver.answer("sms", 500);
        Outbox first = open(EXACT, "sms");
        Alert a = alert(Severity.IMMEDIATE, "lifeline: one");
        Alert b = alert(Severity.IMMEDIATE, "lifeline: two");
        first.submit(a);
        first.submit(b);
        scheduler.runFor(Duration.ofSeconds(1));
        first.close();
        Path dir = stateDir.resolve("outbox");
        Files.writeString(dir.resolve("a0.json"), "{\"alert\": {\"id\": \"a0\", \"at\": ");
        Files.writeString(dir.resolve("a9.json"), "not json at all");
        receiver.answer("sms", 200);
        receiver.forgetRequests();

        Outbox second = open(EXACT, "sms");
        scheduler.runFor(Duration.ofMinutes(1));

        assertThat(receiver.countsById("sms")).containsOnlyKeys(a.id(), b.id()).containsValues(1L);
        assertThat(second.status().pending()).isZero();
        assertThat(dir.resolve("a0.json.bad")).exists();
        assertThat(dir.resolve("a9.json.bad")).exists();
        assertThat(outboxFiles()).containsExactlyInAnyOrder("a0.json.bad", "a9.json.bad");
    }

    @Test
    void neitherAlertTextsNorTheChannelTokenAppearInLogsOrStatus() {
        receiver.answer("sms", 500);
        receiver.answer("email", 400);
        Outbox outbox = open(EXACT.withGiveUpAfter(Duration.ofHours(1)), "sms", "email");
        String text = "lifeline: secret-looking text 203.0.113.77 door code 4711";

        String log = capturingStderr(() -> {
            for (Severity s : Severity.values()) {
                outbox.submit(alert(s, text));
            }
            scheduler.runFor(Duration.ofHours(2));
        });

        assertThat(receiver.received("sms")).as("the token did go to the provider").first()
                .extracting(AlertReceiver.Received::authorization).isEqualTo("Bearer " + AlertReceiver.TOKEN);
        assertThat(log).as("something was logged").contains("gave up").contains("refused alert");
        assertThat(log).doesNotContain("203.0.113.77").doesNotContain("4711").doesNotContain(AlertReceiver.TOKEN);
        assertThat(outbox.status().failed()).isNotEmpty();
        assertThat(outbox.status().toString()).doesNotContain("203.0.113.77").doesNotContain(AlertReceiver.TOKEN);
    }

    private List<String> outboxFiles() {
        try (var s = Files.list(stateDir.resolve("outbox"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** slf4j-simple writes to whatever System.err is at the time of the call. */
    static String capturingStderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log);
        return log;
    }
}
