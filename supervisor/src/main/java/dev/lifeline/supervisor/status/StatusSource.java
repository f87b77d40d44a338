package dev.lifeline.supervisor.status;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import dev.lifeline.supervisor.heartbeat.HeartbeatState;
import dev.lifeline.supervisor.link.BackupHealth;
import dev.lifeline.supervisor.link.BackupHealthCheck;
import dev.lifeline.supervisor.link.LinkState;
import dev.lifeline.supervisor.link.PrimaryLinkMonitor;
import dev.lifeline.supervisor.policy.OutagePolicy;
import dev.lifeline.supervisor.probe.ProbeResult;
import dev.lifeline.supervisor.tunnel.TunnelState;
import dev.lifeline.supervisor.tunnel.TunnelSupervisor;

/**
 * What the status server reads, and all it can read: every method is a cheap, side-effect-free look at state the
 * supervisor keeps anyway. Called from the server's threads, so implementations must be thread-safe (the
 * supervisor's own accessors are).
 */
public interface StatusSource {
    List<TunnelState> tunnels();

    /** Empty when the primary line is not tracked. */
    Optional<LinkState> primaryState();

    /** The last round of primary probes; empty before the first round or when not tracked. */
    List<ProbeResult> primaryLastRound();

    /** The last backup health check; empty before the first or when not checked. */
    Optional<BackupHealth> backupHealth();

    /** null when the supervisor does not control the cloud (tunnels only). */
    OutagePolicy.Snapshot policy();

    OutboxView outbox();

    /** The dead-man's switch; empty when no heartbeat is configured. */
    default Optional<HeartbeatState> heartbeat() {
        return Optional.empty();
    }

    /** The admin's SSH path; empty when no tunnel carries {@code service: ssh}. */
    default Optional<AdminPathView> adminPath() {
        return Optional.empty();
    }

    /**
     * The running supervisor's parts; {@code primary} and {@code backup} may be null (not configured), {@code policy}
     * may return null, {@code outbox} may be {@link OutboxView#EMPTY}'s supplier until the alert outbox exists.
     */
    static StatusSource of(TunnelSupervisor tunnels, PrimaryLinkMonitor primary, BackupHealthCheck backup,
                           Supplier<OutagePolicy.Snapshot> policy, Supplier<OutboxView> outbox) {
        return of(tunnels, primary, backup, policy, outbox, () -> null, Set.of());
    }

    /**
     * @param heartbeat    returns null when no heartbeat is configured
     * @param adminTunnels the names of the tunnels with {@code service: ssh}: the admin's path to the home
     */
    static StatusSource of(TunnelSupervisor tunnels, PrimaryLinkMonitor primary, BackupHealthCheck backup,
                           Supplier<OutagePolicy.Snapshot> policy, Supplier<OutboxView> outbox, Supplier<HeartbeatState> heartbeat,
                           Set<String> adminTunnels) {
        Set<String> admin = Set.copyOf(adminTunnels);
        return new StatusSource() {
            @Override
            public Optional<AdminPathView> adminPath() {
                return Optional.ofNullable(AdminPathView.of(tunnels.states().stream().filter(t -> admin.contains(t.name())).toList()));
            }

            @Override
            public List<TunnelState> tunnels() {
                return tunnels.states();
            }

            @Override
            public Optional<LinkState> primaryState() {
                return primary == null ? Optional.empty() : Optional.of(primary.state());
            }

            @Override
            public List<ProbeResult> primaryLastRound() {
                return primary == null ? List.of() : primary.lastRound();
            }

            @Override
            public Optional<BackupHealth> backupHealth() {
                return backup == null ? Optional.empty() : backup.last();
            }

            @Override
            public OutagePolicy.Snapshot policy() {
                return policy.get();
            }

            @Override
            public OutboxView outbox() {
                return outbox.get();
            }

            @Override
            public Optional<HeartbeatState> heartbeat() {
                return Optional.ofNullable(heartbeat.get());
            }
        };
    }
}
