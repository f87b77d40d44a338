package dev.lifeline.supervisor.cloud;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.settings.Words;
import dev.lifeline.templates.spec.SshPublicKey;

/**
 * The {@code bastion:} section: where the tunnels go and the host key they insist on.
 *
 * @param hostKey the bastion's public host key: the {@code knownHostsLine} stack output
 *                ({@code [ip]:port ssh-ed25519 AAAA…}) or just {@code ssh-ed25519 AAAA…}
 */
public record BastionConfig(BastionProvider provider, String host, int port, SshPublicKey hostKey, BastionMode mode,
                            AwsSection aws, DigitalOceanSection digitalocean) {
    @JsonCreator
    public BastionConfig(@JsonProperty("provider") String provider, @JsonProperty("host") String host,
                         @JsonProperty("port") Integer port, @JsonProperty("hostKey") String hostKey,
                         @JsonProperty("mode") String mode, @JsonProperty("aws") AwsSection aws,
                         @JsonProperty("digitalocean") DigitalOceanSection digitalocean) {
        this(Words.parse("provider", BastionProvider.class, provider, null), host, port == null ? 0 : port, parseHostKey(hostKey),
                Words.parse("mode", BastionMode.class, mode, BastionMode.ON_OUTAGE), aws, digitalocean);
    }

    /** Tunnels only, no cloud control (tests and hand-built bastions). */
    public BastionConfig(String provider, String host, int port, String hostKey, String mode) {
        this(provider, host, port, hostKey, mode, null, null);
    }

    public BastionConfig {
        if (host == null || host.isBlank()) {
            throw new ConfigValueException("host", "host is missing; give the bastion's address (the publicIp stack output)");
        }
        if (port < 1 || port > 65535) {
            throw new ConfigValueException("port", "port must be the bastion's SSH port, 1..65535 (the sshPort stack output)");
        }
        if (provider == BastionProvider.AWS && aws == null) {
            throw new ConfigValueException("aws", "provider aws needs an aws: section with region and instanceId (the instanceId stack output)");
        }
        if (provider == BastionProvider.DIGITALOCEAN && digitalocean == null) {
            throw new ConfigValueException("digitalocean", "provider digitalocean needs a digitalocean: section with dropletId and tokenFile");
        }
    }

    static SshPublicKey parseHostKey(String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigValueException("hostKey", "hostKey is missing; give the knownHostsLine stack output — lifeline never trusts a first connection");
        }
        String t = text.trim();
        if (t.startsWith("[") || !t.startsWith("ssh-") && !t.startsWith("ecdsa-")) {
            // a known_hosts line: drop the host pattern in front
            int space = t.indexOf(' ');
            t = space < 0 ? "" : t.substring(space + 1).trim();
        }
        return ConfigValueException.parseNamed("hostKey", t, SshPublicKey::parse);
    }
}
