package dev.lifeline.supervisor.tunnel;

import java.nio.file.Path;

/**
 * One tunnel as this package needs it: the Unix user and key it logs in with, the bastion port it holds on
 * 127.0.0.1, the home service it leads to, and the local address it connects from (null: any). The config
 * package builds it from a checked {@code tunnels:} entry; this package never reads config.
 */
public record TunnelTarget(String name, String user, Path key, int remotePort, String localHost, int localPort, String bind) {

    public String remote() {
        return "127.0.0.1:" + remotePort;
    }

    /** Where the supervisor answers the bastion's tunnel watchdog through this tunnel's session; 0: no room for it. */
    public int healthPort() {
        return remotePort < 65535 ? dev.lifeline.templates.spec.TunnelSpec.healthPortOf(remotePort) : 0;
    }
}
