package dev.lifeline.templates.spec;

/**
 * The HTTPS front: nginx in front of the tunnels. With a domain and an email the certificate comes
 * from Let's Encrypt; without, the bastion makes a self-signed one at first boot.
 */
public record WebSpec(String domain, String email) {

    public boolean letsEncrypt() {
        return domain != null && email != null;
    }
}
