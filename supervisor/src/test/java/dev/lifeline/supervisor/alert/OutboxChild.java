package dev.lifeline.supervisor.alert;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.lifeline.supervisor.testing.AlertReceiver;
import dev.lifeline.supervisor.testing.HttpTestChannel;

/**
 * The daemon's side of {@link OutboxCrashIT}, in its own JVM so that it can be killed with SIGKILL: opens a real-time
 * outbox with channels "a" and "b", submits three alerts, reports on stdout, and keeps delivering until killed
 * (or two minutes pass, so a lost child cannot outlive the build).
 */
public final class OutboxChild {
    static final OutboxSettings SETTINGS = OutboxSettings.DEFAULTS.withRetry(Duration.ofMillis(200), Duration.ofSeconds(1))
            .withFanout(OutboxSettings.Fanout.EVERY_CHANNEL, OutboxSettings.Fanout.EVERY_CHANNEL);
    static final List<String> IDS = List.of("crash-1", "crash-2", "crash-3");

    public static void main(String[] args) throws InterruptedException {
        Path stateDir = Path.of(args[0]);
        Outbox outbox = Outbox.open(stateDir, channels(args[1]), SETTINGS);
        for (String id : IDS) {
            outbox.submit(new Alert(id, Instant.now(), Severity.NORMAL, "test." + id, "lifeline: crash test " + id));
        }
        System.out.println("SUBMITTED");
        System.out.flush();
        boolean told = false;
        for (int i = 0; i < 1200; i++) {
            OutboxStatus s = outbox.status();
            OutboxStatus.ChannelStatus a = s.channels().get(0);
            // all three must be in the picture: a snapshot taken after the first submit's round shows "a" done too
            if (!told && s.pending() == IDS.size() && a.pending() == 0 && a.lastSuccess() != null) {
                System.out.println("A_ACCEPTED_ALL");
                System.out.flush();
                told = true;
            }
            Thread.sleep(100);
        }
        System.exit(3);
    }

    static List<Notifier> channels(String baseUrl) {
        return List.of(new HttpTestChannel("a", URI.create(baseUrl + "/a"), AlertReceiver.TOKEN),
                new HttpTestChannel("b", URI.create(baseUrl + "/b"), AlertReceiver.TOKEN));
    }
}
