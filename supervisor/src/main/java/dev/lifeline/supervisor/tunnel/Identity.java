package dev.lifeline.supervisor.tunnel;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Iterator;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/** A tunnel's private key, read once at start so a bad key stops the supervisor before any connection. */
final class Identity {
    private Identity() {
    }

    static KeyPair load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, null);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new IllegalArgumentException("key " + file + " holds no private key");
            }
            return it.next();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            // The parser's message may quote key bytes: name the file and the fix only.
            throw new IllegalArgumentException("key " + file + " cannot be read as an unencrypted OpenSSH private key"
                    + " (passphrase-protected keys cannot be used unattended; make one with ssh-keygen -t ed25519 -N '')");
        }
    }
}
