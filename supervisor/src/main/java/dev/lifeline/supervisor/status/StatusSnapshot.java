package dev.lifeline.supervisor.status;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.lifeline.supervisor.heartbeat.HeartbeatState;
import dev.lifeline.supervisor.link.BackupHealth;
import dev.lifeline.supervisor.link.LinkState;
import dev.lifeline.supervisor.policy.OutagePolicy;
import dev.lifeline.supervisor.probe.ProbeResult;
import dev.lifeline.supervisor.tunnel.TunnelState;

/**
 * One read of the whole {@link StatusSource}, so a page, a scrape or a history point is consistent in itself.
 *
 * @param heartbeat null when no heartbeat is configured
 */
record StatusSnapshot(Instant at, List<TunnelState> tunnels, LinkState primary, List<ProbeResult> lastRound,
                      BackupHealth backup, OutagePolicy.Snapshot policy, OutboxView outbox, HeartbeatState heartbeat,
                      AdminPathView adminPath) {

    StatusSnapshot(Instant at, List<TunnelState> tunnels, LinkState primary, List<ProbeResult> lastRound, BackupHealth backup,
                   OutagePolicy.Snapshot policy, OutboxView outbox) {
        this(at, tunnels, primary, lastRound, backup, policy, outbox, null, null);
    }

    static StatusSnapshot read(StatusSource source, Instant at) {
        Optional<LinkState> primary = source.primaryState();
        OutboxView outbox = source.outbox();
        return new StatusSnapshot(at, List.copyOf(source.tunnels()), primary.orElse(null), source.primaryLastRound(),
                source.backupHealth().orElse(null), source.policy(), outbox == null ? OutboxView.EMPTY : outbox,
                source.heartbeat().orElse(null), source.adminPath().orElse(null));
    }

    boolean bastionRunning() {
        return policy != null && "ON".equals(policy.bastion());
    }

    /** The policy's outage when it controls the cloud (it survives restarts); the tracker's verdict otherwise. */
    boolean outageActive() {
        return policy != null ? policy.outageSince() != null : primary == LinkState.DOWN;
    }
}
