package dev.lifeline.supervisor.config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.alert.AlertsSection;
import dev.lifeline.supervisor.cloud.BastionConfig;
import dev.lifeline.supervisor.heartbeat.HeartbeatSection;
import dev.lifeline.supervisor.policy.PolicySection;
import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.settings.StartupChecks;
import dev.lifeline.supervisor.status.StatusSection;
import dev.lifeline.supervisor.tunnel.SshSection;
import dev.lifeline.supervisor.tunnel.TunnelConfig;
import dev.lifeline.supervisor.tunnel.TunnelPlan;
import dev.lifeline.supervisor.tunnel.TunnelSettings;

/**
 * The supervisor's whole config file. Later sections (alerts, status) join here.
 *
 * @param links    null: no line tracking (the tunnels only; the bastion is left as it is)
 * @param stateDir where small state (data budget, outage) is kept across restarts
 * @param alerts   null: no alert channels configured
 * @param status   the status page; never null (defaults: loopback only)
 * @param heartbeat null: no dead-man's switch
 */
public record SupervisorConfig(BastionConfig bastion, List<TunnelConfig> tunnels, SshSection ssh, LinksSection links,
                               PolicySection policy, Path stateDir, AlertsSection alerts, StatusSection status,
                               HeartbeatSection heartbeat) {
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/lifeline");

    @JsonCreator
    static SupervisorConfig read(@JsonProperty("bastion") BastionConfig bastion, @JsonProperty("tunnels") List<TunnelConfig> tunnels,
                                 @JsonProperty("ssh") SshSection ssh, @JsonProperty("links") LinksSection links,
                                 @JsonProperty("policy") PolicySection policy, @JsonProperty("stateDir") String stateDir,
                                 @JsonProperty("alerts") AlertsSection alerts, @JsonProperty("status") StatusSection status,
                                 @JsonProperty("heartbeat") HeartbeatSection heartbeat, @JacksonInject StartupChecks checks) {
        SupervisorConfig config = new SupervisorConfig(bastion, tunnels, ssh, links, policy, stateDir == null || stateDir.isBlank() ? null : Path.of(stateDir),
                alerts, status, heartbeat);
        ConfigValueException.check(List.of("stateDir"), () -> checks.stateDir(config.stateDir()));
        return config;
    }

    /** Tunnels only. */
    public SupervisorConfig(BastionConfig bastion, List<TunnelConfig> tunnels, SshSection ssh) {
        this(bastion, tunnels, ssh, null, null, null, null, null, null);
    }

    /** Tunnels, lines and policy, with no alert channels (events are only logged). */
    public SupervisorConfig(BastionConfig bastion, List<TunnelConfig> tunnels, SshSection ssh, LinksSection links,
                            PolicySection policy, Path stateDir) {
        this(bastion, tunnels, ssh, links, policy, stateDir, null, null, null);
    }

    public SupervisorConfig {
        if (bastion == null) {
            throw new ConfigValueException("bastion", "section is missing; `pulumi stack output --json` has its values");
        }
        if (tunnels == null || tunnels.isEmpty()) {
            throw new ConfigValueException("tunnels", "lists no tunnel; give at least one {name, user, key, remote, local}");
        }
        Set<String> names = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (TunnelConfig t : tunnels) {
            if (!names.add(t.name())) {
                throw new ConfigValueException("tunnels", "the name " + t.name() + " is used twice; names must be unique");
            }
            if (!ports.add(t.remotePort())) {
                throw new ConfigValueException("tunnels", "remote port " + t.remotePort() + " is used twice; each tunnel has its own port");
            }
        }
        tunnels = List.copyOf(tunnels);
        ssh = ssh == null ? new SshSection(null, null, null, null, null, null, null, null, null) : ssh;
        policy = policy == null ? PolicySection.DEFAULTS : policy;
        stateDir = stateDir == null ? DEFAULT_STATE_DIR : stateDir;
        status = status == null ? StatusSection.DEFAULTS : status;
    }

    public TunnelSettings tunnelSettings() {
        return ssh.settings();
    }

    /** What the tunnels start from: the bastion, its pinned key, every tunnel and the timings. */
    public TunnelPlan tunnelPlan() {
        return new TunnelPlan(bastion.host(), bastion.port(), bastion.hostKey(), tunnels.stream().map(TunnelConfig::target).toList(),
                tunnelSettings());
    }
}
