package dev.lifeline.templates.spec;

/**
 * One reverse tunnel: the bastion user it logs in as ({@code name}), the one loopback port that
 * user may listen on, the key that may do it, and what it carries (only web tunnels are behind nginx).
 */
public record TunnelSpec(String name, int port, SshPublicKey publicKey, TunnelService service) {

    /** A tunnel for the web front, the default. */
    public TunnelSpec(String name, int port, SshPublicKey publicKey) {
        this(name, port, publicKey, TunnelService.WEB);
    }

    /**
     * The port next to the tunnel's, on which the supervisor answers the bastion's watchdog through the same session:
     * a tunnel's own port carries the home's service, whose protocol cannot tell a frozen client from a quiet service.
     * The stack reader keeps it clear of every other port.
     */
    public static int healthPortOf(int port) {
        return port + 1;
    }

    public int healthPort() {
        return healthPortOf(port);
    }

    /** authorized_keys options: everything off, then remote forwarding back on for this port and its health port only. */
    public String authorizedKeysOptions() {
        return "restrict,port-forwarding,permitlisten=\"127.0.0.1:" + port + "\",permitlisten=\"127.0.0.1:" + healthPort()
                + "\",command=\"/usr/sbin/nologin\"";
    }

    public String listen() {
        return "127.0.0.1:" + port;
    }

    public boolean web() {
        return service == TunnelService.WEB;
    }
}
