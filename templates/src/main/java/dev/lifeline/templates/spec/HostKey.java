package dev.lifeline.templates.spec;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Iterator;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The bastion's SSH host key. It is made at home ({@code ssh-keygen -t ed25519}), kept as a Pulumi
 * secret and installed by cloud-init, so the supervisor can pin it before the VM ever boots:
 * there is no trust on first use anywhere.
 */
public record HostKey(Secret privateKey, SshPublicKey publicKey) {

    /**
     * Reads an unencrypted OpenSSH ed25519 private key. The public half comes out of the key itself,
     * so the pinned line can never disagree with what the bastion presents.
     */
    public static HostKey parse(Secret privateKey) {
        if (!privateKey.isAvailable()) {
            return new HostKey(privateKey, null);
        }
        String pem = privateKey.reveal().strip() + "\n";
        if (!pem.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----")) {
            throw new IllegalArgumentException("is not an OpenSSH private key; make one with"
                    + " ssh-keygen -t ed25519 -N '' -C lifeline-bastion -f bastion_host_key");
        }
        KeyPair pair;
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("hostKey"),
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)), null);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new IllegalArgumentException("holds no key");
            }
            pair = it.next();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            // The parser's message can quote key material: never pass it on.
            throw new IllegalArgumentException("cannot be read (is it passphrase-protected? the bastion needs it"
                    + " unencrypted: ssh-keygen -t ed25519 -N '' -f bastion_host_key)");
        }
        SshPublicKey pub = SshPublicKey.of(pair.getPublic(), "lifeline-bastion");
        if (!pub.type().equals("ssh-ed25519")) {
            throw new IllegalArgumentException("is a " + pub.type() + " key; the bastion uses ssh-ed25519 only"
                    + " (ssh-keygen -t ed25519 -N '' -f bastion_host_key)");
        }
        return new HostKey(Secret.of(privateKey.key(), pem), pub);
    }

    public boolean isKnown() {
        return publicKey != null;
    }

    /** The public line, or a placeholder when the private half is still encrypted in the stack file. */
    public String publicLine() {
        return isKnown() ? publicKey.keyText() + " lifeline-bastion" : "ssh-ed25519 <derived from the hostKey secret at pulumi up>";
    }

    /** {@code [host]:port ssh-ed25519 AAAA…}, the line the supervisor pins. */
    public String knownHostsLine(String host, int port) {
        return "[" + host + "]:" + port + " " + (isKnown() ? publicKey.keyText() : publicLine());
    }
}
