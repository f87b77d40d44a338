package dev.lifeline.supervisor.status;

import java.time.Instant;
import java.util.List;

import dev.lifeline.supervisor.heartbeat.HeartbeatState;
import dev.lifeline.supervisor.link.BackupHealth;
import dev.lifeline.supervisor.policy.OutagePolicy;
import dev.lifeline.supervisor.probe.ProbeResult;
import dev.lifeline.supervisor.tunnel.TunnelState;

/**
 * The {@code /status} JSON. Built field by field from the snapshot rather than serialising the supervisor's own
 * objects, so a field added to those later (a key path, a token) cannot leak here by accident.
 */
record StatusDocument(Instant at, Primary primary, Backup backup, List<Tunnel> tunnels, Bastion bastion, Outage outage,
                      OutboxView outbox, Summary history, Heartbeat heartbeat, AdminPathView adminPath) {

    record Primary(boolean tracked, String state, List<Probe> lastRound) {
    }

    record Probe(String target, boolean ok, double rttMs, String detail) {
    }

    /** @param failedChecks which of the check's questions failed, one per problem, in the problems' order */
    record Backup(Instant at, boolean healthy, String isp, Long bitsPerSecond, Double latencyMs, long bytesUsed,
                  List<String> problems, List<FailedCheck> failedChecks, List<String> notes) {
    }

    /** @param check {@code ISP identity}, {@code latency} or {@code speed}; @param problem what it found */
    record FailedCheck(String check, String problem) {
    }

    /**
     * @param needsAdmin the last failure is one retrying cannot fix (a refused key, another host key)
     * @param nextTry    when the supervisor tries again; null while it is trying or when the tunnel is not down
     */
    record Tunnel(String name, String status, Instant since, String lastFailure, boolean needsAdmin, String lastError,
                  Instant nextTry, long reconnects, long bytesIn, long bytesOut) {
    }

    /** @param controlled false: the supervisor does not start or stop the bastion (tunnels only) */
    record Bastion(boolean controlled, String mode, String state, boolean running, Instant since, long starts, long stops,
                   boolean cloudCallInFlight) {
    }

    record Outage(boolean active, Instant since) {
    }

    /**
     * The dead-man's switch. Only the ping URL's host: the rest of it is the check's credential.
     *
     * @param configured false: no {@code heartbeat:} section, every other field null
     * @param lastSignal {@code up} or {@code fail}
     * @param lastResult {@code delivered} or {@code failed}
     */
    record Heartbeat(boolean configured, String host, String format, Long everySeconds, Instant lastPingAt, String lastSignal,
                     String lastResult, String lastError, Instant lastSuccessAt, long failures, String trouble) {
        static final Heartbeat NONE = new Heartbeat(false, null, null, null, null, null, null, null, null, 0, null);
    }

    record Summary(int primaryRounds, int backupChecks, int outages24h, CostEstimate cost) {
    }

    static StatusDocument of(StatusSnapshot s, HistoryView h) {
        return new StatusDocument(s.at(), primary(s), backup(s.backup()), s.tunnels().stream().map(StatusDocument::tunnel).toList(),
                bastion(s), new Outage(s.outageActive(), s.policy() == null ? null : s.policy().outageSince()), s.outbox(),
                new Summary(h.primaryRttMs().size(), h.backupMbps().size(), h.outages().size(), h.cost()), heartbeat(s.heartbeat()),
                adminPath(s.adminPath()));
    }

    private static Heartbeat heartbeat(HeartbeatState b) {
        if (b == null) {
            return Heartbeat.NONE;
        }
        return new Heartbeat(true, b.host(), b.format(), b.every().toSeconds(), b.lastPingAt(), b.lastSignal(), b.lastResult(),
                Redaction.recipients(b.lastError()), b.lastSuccessAt(), b.failures(), b.trouble());
    }

    private static Primary primary(StatusSnapshot s) {
        List<Probe> round = s.lastRound().stream().map(StatusDocument::probe).toList();
        return new Primary(s.primary() != null, s.primary() == null ? null : s.primary().name(), round);
    }

    private static Probe probe(ProbeResult r) {
        return new Probe(r.target(), r.ok(), r.rtt().toNanos() / 1e6, Redaction.paths(r.detail()));
    }

    private static Backup backup(BackupHealth b) {
        if (b == null) {
            return null;
        }
        return new Backup(b.at(), b.healthy(), b.isp(), b.bitsPerSecond(), b.latency() == null ? null : b.latency().toNanos() / 1e6,
                b.bytesUsed(), b.problems(), b.problems().stream().map(p -> new FailedCheck(BackupHealth.checkOf(p), p)).toList(),
                b.notes().stream().map(Redaction::paths).toList());
    }

    private static Tunnel tunnel(TunnelState t) {
        return new Tunnel(t.name(), t.status().name(), t.since(), t.lastFailure() == null ? null : t.lastFailure().name(),
                t.lastFailure() != null && t.lastFailure().needsAdmin(), Redaction.paths(t.lastError()), t.nextTry(), t.reconnects(),
                t.bytesIn(), t.bytesOut());
    }

    private static AdminPathView adminPath(AdminPathView a) {
        return a == null ? null : new AdminPathView(a.state(), a.since(), a.tunnel(), a.lastFailure(), a.nextTry(), Redaction.paths(a.detail()));
    }

    private static Bastion bastion(StatusSnapshot s) {
        OutagePolicy.Snapshot p = s.policy();
        if (p == null) {
            return new Bastion(false, null, null, false, null, 0, 0, false);
        }
        return new Bastion(true, p.mode().name(), p.bastion(), s.bastionRunning(), p.bastionSince(), p.starts(), p.stops(), p.cloudCallInFlight());
    }
}
