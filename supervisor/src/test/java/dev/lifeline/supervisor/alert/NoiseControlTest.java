package dev.lifeline.supervisor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.event.Event;
import dev.lifeline.supervisor.testing.AlertReceiver;
import dev.lifeline.supervisor.testing.SimulatedClock;
import dev.lifeline.supervisor.testing.SimulatedScheduler;

/** Events → EventAlerts → AlertGate → Outbox → WireMock, a simulated day at a time. */
class NoiseControlTest {
    private static final Instant START = Instant.parse("2025-03-01T00:00:00Z");

    @TempDir
    Path stateDir;
    private final SimulatedClock clock = new SimulatedClock(START);
    private final SimulatedScheduler scheduler = new SimulatedScheduler(clock);
    private AlertReceiver receiver;
    private EventAlerts alerts;

    @BeforeEach
    void wire() {
        receiver = new AlertReceiver();
        receiver.answer("sms", 200);
        Outbox outbox = Outbox.open(stateDir, List.of(receiver.channel("sms")), OutboxSettings.DEFAULTS.withRate(10, 10),
                clock, scheduler, new Random(3));
        alerts = new EventAlerts(new AlertGate(NoiseSettings.DEFAULTS, clock, outbox::submit), Runnable::run);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private void publish(Event.Kind kind, String condition, String text) {
        alerts.publish(new Event(clock.instant(), kind, condition, text));
        scheduler.runFor(Duration.ZERO);
    }

    @Test
    void aThousandIdenticalBackupProblemsInADaySendFourMessagesAndOneResolved() {
        Duration spacing = Duration.ofDays(1).dividedBy(1000);
        for (int i = 0; i < 1000; i++) {
            publish(Event.Kind.BACKUP_PROBLEM, "backup.health", "backup line: low speed — 3 Mbit/s");
            scheduler.runFor(spacing);
        }
        publish(Event.Kind.BACKUP_RESOLVED, "backup.health", "backup line healthy again — 48 Mbit/s");
        scheduler.runFor(Duration.ofMinutes(10));

        List<AlertReceiver.Received> sent = receiver.received("sms");
        assertThat(sent).as("repeatAfter 6 h over 24 h, then the clearing").hasSize(5);
        assertThat(sent.subList(0, 4)).allSatisfy(r -> assertThat(r.text()).startsWith("lifeline: backup line: low speed"));
        assertThat(sent.get(1).text()).as("a repeat says how often it was raised meanwhile").contains("raised 249 more times");
        assertThat(sent.get(4).text()).isEqualTo("lifeline: backup line healthy again — 48 Mbit/s");
    }

    @Test
    void aResolvedWithoutAToldProblemIsNotSent() {
        publish(Event.Kind.BACKUP_RESOLVED, "backup.health", "backup line healthy again");
        scheduler.runFor(Duration.ofMinutes(1));

        assertThat(receiver.received("sms")).isEmpty();
    }

    @Test
    void immediateAlertsAlwaysGoOutAndStillCountAgainstTheRate() {
        for (int i = 0; i < 20; i++) {
            publish(i % 2 == 0 ? Event.Kind.OUTAGE_STARTED : Event.Kind.OUTAGE_ENDED, "primary.outage", "primary line flap " + i);
            scheduler.runFor(Duration.ofSeconds(3));
        }
        assertThat(receiver.received("sms")).as("20 IMMEDIATE in a minute, none held").hasSize(20)
                .allSatisfy(r -> assertThat(r.severity()).isEqualTo("IMMEDIATE"));

        publish(Event.Kind.BACKUP_PROBLEM, "backup.health", "backup line: wrong ISP");
        scheduler.runFor(Duration.ofMinutes(30));
        assertThat(receiver.received("sms")).as("the bucket is 10 below empty: a NORMAL alert waits").hasSize(20);

        scheduler.runFor(Duration.ofHours(1));
        assertThat(receiver.received("sms")).hasSize(21);
    }

    @Test
    void aBurstOfFiftyDistinctAlertsHoldsTheRateAndTheRestArriveAsADigest() {
        for (int i = 0; i < 50; i++) {
            publish(Event.Kind.FORWARD_REFUSED, "tunnel.t" + i + ".forward", "tunnel t" + i + ": [n=" + i + "] remote port refused");
            scheduler.runFor(Duration.ofMillis(1200));
        }
        assertThat(receiver.received("sms")).as("burst of 10, then held").hasSize(10);

        scheduler.runFor(Duration.ofMinutes(59));
        List<AlertReceiver.Received> firstHour = receiver.received("sms");
        assertThat(firstHour).as("within the first hour: burst 10 + at most 10 refills").hasSizeLessThanOrEqualTo(20);
        scheduler.runFor(Duration.ofHours(3));

        List<AlertReceiver.Received> sent = receiver.received("sms");
        Map<Integer, Integer> seen = new HashMap<>();
        Pattern marker = Pattern.compile("\\[n=(\\d+)]");
        for (AlertReceiver.Received r : sent) {
            Matcher m = marker.matcher(r.text());
            while (m.find()) {
                seen.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
            }
        }
        assertThat(seen).as("every alert in exactly one message").hasSize(50).allSatisfy((n, times) -> assertThat(times).isEqualTo(1));
        // 40 held alerts do not fit one message under digestMaxChars (1,500): 36 go at the first refill, 4 at the next
        assertThat(sent).as("10 single + digests").hasSize(12);
        assertThat(sent.subList(10, 12)).extracting(AlertReceiver.Received::text)
                .allSatisfy(t -> assertThat(t).matches("lifeline: \\d+ alerts: tunnel t\\d+: .*").hasSizeLessThanOrEqualTo(1500));
        assertThat(sent.get(10).text()).startsWith("lifeline: 36 alerts: tunnel t10: [n=10] remote port refused; tunnel t11:");
    }
}
