package dev.lifeline.supervisor.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.lifeline.supervisor.tunnel.TunnelSettings;

/** The supervisor's whole config file. Later sections (links, policy, alerts, status) join here. */
public record SupervisorConfig(BastionConfig bastion, List<TunnelConfig> tunnels, SshSection ssh) {

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
    }

    public TunnelSettings tunnelSettings() {
        return ssh.settings();
    }
}
