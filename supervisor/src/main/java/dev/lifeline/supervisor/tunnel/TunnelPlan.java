package dev.lifeline.supervisor.tunnel;

import java.util.List;

import dev.lifeline.templates.spec.SshPublicKey;

/**
 * Everything the tunnels are started from: where the bastion answers, the host key pinned for it, each tunnel, and
 * the timings. The dependency points one way: config makes a plan ({@code SupervisorConfig.tunnelPlan()}), the
 * tunnels never see the config.
 */
public record TunnelPlan(String bastionHost, int bastionPort, SshPublicKey bastionHostKey, List<TunnelTarget> tunnels,
                         TunnelSettings settings) {

    public TunnelPlan {
        tunnels = List.copyOf(tunnels);
    }
}
