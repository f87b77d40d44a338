package dev.lifeline.templates.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a tunnel carries. Only {@link #WEB} tunnels stand behind the bastion's nginx; the others are reached by the
 * admin through SSH ({@code lifeline ssh-config}), so a console server or the home's own sshd is never on the web.
 * The stack and the supervisor's config use the same words.
 */
public enum TunnelService {
    /** the home web service, behind nginx (the first web tunnel serves, the others are its backups) */
    WEB,
    /** the home's SSH: {@code lifeline ssh-config} writes a {@code Host} for it, jumping through the bastion */
    SSH,
    /** any other TCP service (a console server, an IP-KVM's web UI), reached with the admin's {@code ssh -L} */
    TCP;

    /** As written in a stack or config file: web, ssh or tcp. */
    public static TunnelService parse(String text) {
        for (TunnelService s : values()) {
            if (s.word().equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("is '" + text + "'; a tunnel carries one of " + words());
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static String words() {
        return Arrays.stream(values()).map(TunnelService::word).collect(Collectors.joining(", "));
    }
}
