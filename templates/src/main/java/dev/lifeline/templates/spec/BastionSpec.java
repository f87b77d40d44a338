package dev.lifeline.templates.spec;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything the user decided about the bastion, validated: what {@code pulumi up} builds and
 * what every rendered file is made from. Built only by {@code stack.BastionSpecReader}.
 *
 * @param tunnelWatchdogQuiet how long a tunnel may leave the bastion's watchdog unanswered before its session ends
 * @param supervisorRole AWS: an IAM role the home supervisor already has (its credentials come from elsewhere, e.g.
 *                       IAM Roles Anywhere) that gets the start/stop policy; empty: the stack makes an IAM user and key
 */
public record BastionSpec(
        String stackName,
        Provider provider,
        String region,
        String size,
        String image,
        int sshPort,
        String adminUser,
        List<SshPublicKey> adminKeys,
        List<TunnelSpec> tunnels,
        List<Cidr> knownGoodIps,
        List<Cidr> sshAllowFrom,
        Optional<TwilioSpec> twilio,
        Optional<WebSpec> web,
        Optional<LogTarget> logTarget,
        HostKey hostKey,
        String autoRebootTime,
        int clientAliveInterval,
        int clientAliveCountMax,
        java.time.Duration homeDarkAfter,
        java.time.Duration tunnelWatchdogQuiet,
        Optional<String> supervisorRole) {

    public BastionSpec {
        adminKeys = List.copyOf(adminKeys);
        tunnels = List.copyOf(tunnels);
        knownGoodIps = List.copyOf(knownGoodIps);
        sshAllowFrom = List.copyOf(sshAllowFrom);
    }

    /** The name the host, the droplet, the firewall and the tags carry: see {@link BastionName}. */
    public BastionName name() {
        return BastionName.forStack(stackName);
    }

    public boolean webEnabled() {
        return web.isPresent();
    }

    /** Every Unix user sshd admits: the admin first, then one per tunnel. */
    public List<String> allowedUsers() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(adminUser),
                tunnels.stream().map(TunnelSpec::name)).collect(Collectors.toList());
    }

    /**
     * The bastion's speed-test path, {@code /lifeline/speed/} and 32 hex digits: a secret the stack's owner gets from
     * the stack outputs ({@code lifeline import}) and strangers cannot guess, so they cannot spend the bastion's
     * egress on it. Derived from the host key's private half, so it needs no state of its own and changes with it.
     */
    public String speedPath() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update("lifeline speed path\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(hostKey.privateKey().reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "/lifeline/speed/" + java.util.HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    public List<Integer> tunnelPorts() {
        return tunnels.stream().map(TunnelSpec::port).collect(Collectors.toList());
    }
}
