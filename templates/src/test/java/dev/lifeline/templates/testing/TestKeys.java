package dev.lifeline.templates.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/** Fresh ed25519 key pairs for tests, in the OpenSSH formats ssh-keygen writes. */
public record TestKeys(String publicLine, String privatePem) {

    public static TestKeys ed25519(String comment) {
        try {
            KeyPair pair = KeyUtils.generateKeyPair(SSH_ED25519, 256);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, out);
            return new TestKeys(PublicKeyEntry.toString(pair.getPublic()) + " " + comment,
                    out.toString(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test key", e);
        }
    }

    private static final String SSH_ED25519 = "ssh-ed25519";
}
