package dev.lifeline.supervisor.cli;

import java.security.SecureRandom;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * A random SSH port for a new bastion, from 10000 to 32767:
 * <ul>
 * <li>above the well-known (system) ports 0–1023 and the crowded low user ports that scanners sweep after 22
 *     (2222, 8022, 8080…): IANA's port registry, RFC 6335 §6;</li>
 * <li>below Linux's ephemeral range, 32768–60999 by default (net.ipv4.ip_local_port_range in the kernel's
 *     Documentation/networking/ip-sysctl), from which the bastion's own outgoing connections take their local
 *     port: sshd listening there could find its port taken at boot by an apt or certbot connection;</li>
 * <li>and so also below IANA's dynamic range 49152–65535 (RFC 6335 §6), which other systems use as theirs.</li>
 * </ul>
 * A port the stack would refuse (a scanned one such as 22222) or a tunnel's port is drawn again.
 */
final class SshPortPick {
    static final int LOW = 10000;
    static final int HIGH = 32767;
    private static final int DRAWS = 100;

    private SshPortPick() {
    }

    /** {@code acceptable}: the stack's own check; {@code taken}: the tunnels' ports. */
    static int pick(SecureRandom random, Set<Integer> taken, IntPredicate acceptable) {
        for (int i = 0; i < DRAWS; i++) {
            int port = LOW + random.nextInt(HIGH - LOW + 1);
            if (!taken.contains(port) && acceptable.test(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no acceptable SSH port in " + DRAWS + " draws from " + LOW + ".." + HIGH);
    }
}
