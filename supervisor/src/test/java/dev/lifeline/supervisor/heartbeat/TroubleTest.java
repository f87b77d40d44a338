package dev.lifeline.supervisor.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.cloud.BastionMode;
import dev.lifeline.supervisor.link.BackupHealth;
import dev.lifeline.supervisor.link.LinkState;
import dev.lifeline.supervisor.policy.OutagePolicy;

class TroubleTest {
    private static final Instant T = Instant.parse("2026-11-25T18:00:00Z");
    private static final BackupHealth HEALTHY = new BackupHealth(T, "Starlink AS14593", 50_000_000L, 4_000_000, Duration.ofMillis(40), List.of(), List.of());
    private static final BackupHealth SLOW = new BackupHealth(T, "Starlink AS14593", 2_000_000L, 4_000_000, Duration.ofMillis(40),
            List.of("low speed", "high latency"), List.of());

    private static OutagePolicy.Snapshot policy(LinkState primary, Instant outageSince) {
        return new OutagePolicy.Snapshot(BastionMode.ON_OUTAGE, primary, "ON", outageSince, null, T, 1, 0, false);
    }

    @Test
    void allWellIsNoTrouble() {
        assertThat(Trouble.of(policy(LinkState.UP, null), LinkState.UP, HEALTHY)).isEmpty();
        assertThat(Trouble.of(null, null, null)).as("nothing tracked: nothing to report").isEmpty();
    }

    @Test
    void theOutagePolicysOpenOutageIsTroubleEvenWhileTheLineLooksBack() {
        // the policy keeps the outage open through recoveryHold; the heartbeat keeps saying fail until it closes it
        assertThat(Trouble.of(policy(LinkState.UP, T), LinkState.UP, null)).contains("outage: primary line down since 2026-11-25T18:00:00Z");
        assertThat(Trouble.of(policy(LinkState.DOWN, null), LinkState.DOWN, null)).as("the policy decides, not one tracker reading").isEmpty();
    }

    @Test
    void withoutAPolicyThePrimaryTrackersDownIsTheOutage() {
        assertThat(Trouble.of(null, LinkState.DOWN, null)).contains("outage: primary line down");
        assertThat(Trouble.of(null, LinkState.UP, null)).isEmpty();
    }

    @Test
    void anUnhealthyBackupLineIsTroubleWithItsProblems() {
        assertThat(Trouble.of(null, LinkState.UP, SLOW)).contains("backup line unhealthy: low speed, high latency");
        assertThat(Trouble.of(null, LinkState.DOWN, SLOW)).contains("outage: primary line down; backup line unhealthy: low speed, high latency");
    }
}
