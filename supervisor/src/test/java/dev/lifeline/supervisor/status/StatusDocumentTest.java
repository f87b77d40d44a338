package dev.lifeline.supervisor.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.heartbeat.HeartbeatState;
import dev.lifeline.supervisor.link.BackupHealth;
import dev.lifeline.supervisor.link.LinkState;
import dev.lifeline.supervisor.tunnel.FailureKind;
import dev.lifeline.supervisor.tunnel.TunnelState;

/** What /status says about why, and what it says about parts that do not exist yet. */
class StatusDocumentTest {
    private static final Instant T0 = Instant.parse("2026-11-25T19:00:00Z");
    private final History history = new History(Duration.ofSeconds(10), 0, 0);

    private StatusDocument document(TunnelState tunnel, BackupHealth backup, HeartbeatState heartbeat, AdminPathView adminPath) {
        StatusSnapshot s = new StatusSnapshot(T0, List.of(tunnel), LinkState.UP, List.of(), backup, null, OutboxView.EMPTY,
                heartbeat, adminPath);
        return StatusDocument.of(s, history.view(T0));
    }

    private static TunnelState refused(Instant nextTry) {
        return new TunnelState("primary", TunnelState.Status.DOWN, T0, "login as tunnel1 failed", FailureKind.AUTH_REFUSED, 0, 0, 0, nextTry);
    }

    @Test
    void aDownTunnelCarriesItsFailureKindWhetherAnAdminMustActAndItsNextTry() {
        StatusDocument.Tunnel t = document(refused(T0.plusSeconds(30)), null, null, null).tunnels().get(0);

        assertThat(t.lastFailure()).isEqualTo("AUTH_REFUSED");
        assertThat(t.needsAdmin()).isTrue();
        assertThat(t.nextTry()).isEqualTo(T0.plusSeconds(30));
        TunnelState network = new TunnelState("primary", TunnelState.Status.DOWN, T0, "connect refused", FailureKind.NETWORK, 0, 0, 0, null);
        assertThat(document(network, null, null, null).tunnels().get(0).needsAdmin()).as("a network failure heals by retrying").isFalse();
    }

    @Test
    void theBackupLineNamesEachFailedCheckInTheOrderTheProblemsCame() {
        BackupHealth h = new BackupHealth(T0, "Deutsche Telekom AG AS3320", 2_000_000L, 1_000_000, null,
                List.of(BackupHealth.WRONG_ISP, BackupHealth.NO_ANSWER, BackupHealth.LOW_SPEED), List.of());

        assertThat(document(refused(null), h, null, null).backup().failedChecks()).containsExactly(
                new StatusDocument.FailedCheck("ISP identity", "wrong ISP"),
                new StatusDocument.FailedCheck("latency", "no answer"),
                new StatusDocument.FailedCheck("speed", "low speed"));
    }

    @Test
    void noHeartbeatOrAdminPathIsNullNeverAnInventedState() {
        StatusDocument d = document(refused(null), null, null, null);

        assertThat(d.heartbeat().configured()).isFalse();
        assertThat(d.adminPath()).isNull();
    }

    @Test
    void aHeartbeatOrAdminPathThatExistsShowsNoUrlCredentialOrKeyPath() {
        HeartbeatState beat = new HeartbeatState("hc-ping.example", "healthchecks", Duration.ofSeconds(60), T0, "fail", "failed",
                "POST https://hc-ping.example/3f9a1c7e-secret-uuid failed: HTTP 503", null, 1, "primary line DOWN");
        TunnelState ssh = new TunnelState("homessh", TunnelState.Status.DOWN, T0, "cannot use /etc/lifeline/keys/homessh",
                FailureKind.AUTH_REFUSED, 0, 0, 0, T0.plusSeconds(30));

        StatusDocument d = document(refused(null), null, beat, AdminPathView.of(List.of(ssh)));

        assertThat(d.heartbeat().lastError()).contains("https://hc-ping.example", "HTTP 503").doesNotContain("secret-uuid");
        assertThat(d.heartbeat().configured()).isTrue();
        assertThat(d.heartbeat().everySeconds()).isEqualTo(60);
        assertThat(d.adminPath()).isEqualTo(new AdminPathView("DOWN", T0, "homessh", "AUTH_REFUSED", T0.plusSeconds(30), "cannot use homessh"));
    }

    @Test
    void theAdminPathIsUpWhenAnyOfItsSshTunnelsIsAndAbsentWithNone() {
        TunnelState down = new TunnelState("ssh1", TunnelState.Status.DOWN, T0, "refused", FailureKind.NETWORK, 0, 0, 0, T0.plusSeconds(5));
        TunnelState up = new TunnelState("ssh2", TunnelState.Status.UP, T0.minusSeconds(60), null, null, 2, 10, 10, null);

        assertThat(AdminPathView.of(List.of(down, up))).isEqualTo(new AdminPathView("UP", T0.minusSeconds(60), "ssh2", null, null, null));
        assertThat(AdminPathView.of(List.of(down)).state()).isEqualTo("DOWN");
        assertThat(AdminPathView.of(List.of())).as("no tunnel with service: ssh, no admin path").isNull();
    }
}
