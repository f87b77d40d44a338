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

    /** authorized_keys options: everything off, then remote forwarding back on for this one port only. */
    public String authorizedKeysOptions() {
        return "restrict,port-forwarding,permitlisten=\"127.0.0.1:" + port + "\",command=\"/usr/sbin/nologin\"";
    }

    public String listen() {
        return "127.0.0.1:" + port;
    }

    public boolean web() {
        return service == TunnelService.WEB;
    }
}
