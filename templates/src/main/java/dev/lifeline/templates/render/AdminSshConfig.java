package dev.lifeline.templates.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.lifeline.templates.spec.SshPublicKey;

/**
 * The OpenSSH client configuration an admin pastes into {@code ~/.ssh/config} to reach the home through the bastion
 * ({@code lifeline ssh-config}): a Host for the bastion and one per home SSH tunnel, every host key pinned.
 */
public final class AdminSshConfig {
    /** The bastion as the laptop reaches it. */
    public record Bastion(String alias, String host, int port, String user, SshPublicKey hostKey) {
    }

    /** A tunnel carrying the home's SSH: {@code ssh alias} jumps through the bastion to its port. */
    public record HomeSsh(String name, String alias, int port, String local, String user, SshPublicKey hostKey) {
    }

    /** A tunnel carrying another TCP service, reached with {@code ssh -L}. */
    public record Forward(String name, int port, String local) {
    }

    private AdminSshConfig() {
    }

    /**
     * @param identity the admin's private key file on the laptop, or null for ssh's own choice
     * @param source   where the values came from, named in the header
     */
    public static String render(String site, String source, Bastion bastion, List<HomeSsh> homes, List<Forward> forwards,
                                String identity) {
        Map<String, Object> m = new HashMap<>();
        m.put("site", site);
        m.put("source", source);
        m.put("identity", identity);
        m.put("bastion", Map.of("alias", bastion.alias(), "host", bastion.host(), "port", bastion.port(), "user", bastion.user(),
                "algorithm", algorithms(bastion.hostKey()), "key", bastion.hostKey().keyText()));
        List<Map<String, Object>> h = new ArrayList<>();
        for (HomeSsh home : homes) {
            Map<String, Object> e = new HashMap<>();
            e.put("name", home.name());
            e.put("alias", home.alias());
            e.put("keyAlias", bastion.alias() + "-" + home.name());
            e.put("port", home.port());
            e.put("local", home.local());
            e.put("user", home.user());
            e.put("algorithm", algorithms(home.hostKey()));
            e.put("key", home.hostKey().keyText());
            h.add(e);
        }
        m.put("homes", h);
        m.put("forwards", forwards.stream().map(f -> Map.of("name", f.name(), "port", f.port(), "local", f.local())).toList());
        return Templates.renderResource("admin/ssh_config", m);
    }

    /**
     * The signature algorithms of a host key's type: an RSA key signs as rsa-sha2-512/256 (OpenSSH 8.8 turned off
     * ssh-rsa, its SHA-1 signature: release notes of OpenSSH 8.8); every other type is its own algorithm name.
     */
    static String algorithms(SshPublicKey key) {
        return key.type().equals("ssh-rsa") ? "rsa-sha2-512,rsa-sha2-256" : key.type();
    }
}
