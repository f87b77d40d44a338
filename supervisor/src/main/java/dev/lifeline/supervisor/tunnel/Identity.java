package dev.lifeline.supervisor.tunnel;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Iterator;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/** A tunnel's private key, read once at start so a bad key stops the supervisor before any connection. */
public final class Identity {
    private Identity() {
    }

    public static KeyPair load(Path file) {
        Iterator<KeyPair> it;
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, null);
            it = pairs == null ? null : pairs.iterator();
        } catch (Exception e) {
            // The parser's message may quote key bytes (its Base64 decoder throws IllegalArgumentException with a
            // piece of the input): name the file and the fix only, whatever it threw.
            throw new IllegalArgumentException("key " + file + " cannot be read as an unencrypted OpenSSH private key"
                    + " (passphrase-protected keys cannot be used unattended; make one with ssh-keygen -t ed25519 -N '')");
        }
        if (it == null || !it.hasNext()) {
            throw new IllegalArgumentException("key " + file + " holds no private key; make one with ssh-keygen -t ed25519 -N ''");
        }
        return it.next();
    }
}
