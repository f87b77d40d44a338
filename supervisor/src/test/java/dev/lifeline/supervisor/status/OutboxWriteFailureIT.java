package dev.lifeline.supervisor.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.alert.Alert;
import dev.lifeline.supervisor.alert.Outbox;
import dev.lifeline.supervisor.alert.OutboxSettings;
import dev.lifeline.supervisor.alert.Severity;
import dev.lifeline.supervisor.link.BackupHealth;
import dev.lifeline.supervisor.link.LinkState;
import dev.lifeline.supervisor.policy.OutagePolicy;
import dev.lifeline.supervisor.probe.ProbeResult;
import dev.lifeline.supervisor.testing.AlertReceiver;
import dev.lifeline.supervisor.tunnel.TunnelState;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.Tools;

/**
 * No alert is lost when the outbox cannot be written (issue 15, part 8): the outbox directory is a read-only tmpfs
 * (read-only for root too, as a remounted or failing disk is), the alert is still delivered, from memory, and the
 * status server's /metrics counts the refused write.
 */
class OutboxWriteFailureIT {
    @TempDir
    Path dir;

    @Test
    void anAlertTheDiskRefusesIsDeliveredFromMemoryAndCountedInMetrics() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if ("true".equals(System.getenv("CI"))) {
            assertThat(root).as("CI runs the tests as root (ci/test.sh)").isTrue();
        }
        assumeTrue(root || "true".equals(System.getenv("CI")), "mounting a read-only tmpfs: skipped when not root (under CI=true, where ci/test.sh runs as root, it fails instead)");
        Path outboxDir = Files.createDirectories(dir.resolve("state/outbox"));
        Tools.Result mount = Tools.run(30, List.of("mount", "-t", "tmpfs", "-o", "ro,size=64k,mode=0700", "tmpfs", outboxDir.toString()));
        assertThat(mount.exitCode()).as("%s", mount).isZero();
        try (AlertReceiver receiver = new AlertReceiver()) {
            receiver.answer("a", 200);
            try (Outbox outbox = Outbox.open(dir.resolve("state"), List.of(receiver.channel("a")),
                    OutboxSettings.DEFAULTS.withRetry(Duration.ofMillis(200), Duration.ofSeconds(1)))) {
                assertThat(Files.isWritable(outboxDir) && tryWrite(outboxDir)).as("the outbox directory refuses writes").isFalse();

                outbox.submit(new Alert("ro-1", Instant.now(), Severity.IMMEDIATE, "test.readonly", "lifeline: sent from memory"));

                Await.until("the alert reached its channel", Duration.ofSeconds(30), () -> receiver.countsById("a").getOrDefault("ro-1", 0L) == 1);
                // The status before the first round also says pending 0: wait for the one the delivering round left.
                Await.until("the outbox settled it", Duration.ofSeconds(10), () -> outbox.status() != null && outbox.status().pending() == 0
                        && outbox.status().channels().stream().anyMatch(c -> c.lastSuccess() != null));
                assertThat(outbox.status().writeFailures()).isPositive();

                String metrics = scrapeMetrics(OutboxView.of(outbox.status()));
                assertThat(metrics).containsPattern("lifeline_outbox_write_failures_total(\\{[^}]*\\})? [1-9]");
            }
        } finally {
            Tools.run(30, List.of("umount", "--lazy", outboxDir.toString()));
        }
    }

    private static boolean tryWrite(Path d) {
        try {
            Files.delete(Files.createTempFile(d, "probe", ".tmp"));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The real status server over this outbox view, and its /metrics as a scraper gets it. */
    private static String scrapeMetrics(OutboxView view) throws Exception {
        StatusSource source = new StatusSource() {
            @Override
            public List<TunnelState> tunnels() {
                return List.of();
            }

            @Override
            public Optional<LinkState> primaryState() {
                return Optional.empty();
            }

            @Override
            public List<ProbeResult> primaryLastRound() {
                return List.of();
            }

            @Override
            public Optional<BackupHealth> backupHealth() {
                return Optional.empty();
            }

            @Override
            public OutagePolicy.Snapshot policy() {
                return null;
            }

            @Override
            public OutboxView outbox() {
                return view;
            }
        };
        try (StatusServer server = StatusServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, source,
                new History(Duration.ofSeconds(10), 0, 0), Duration.ofSeconds(10), Clock.systemUTC())) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.address().getPort() + "/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        }
    }
}
