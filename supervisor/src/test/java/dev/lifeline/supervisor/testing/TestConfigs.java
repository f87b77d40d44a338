package dev.lifeline.supervisor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.lifeline.templates.testing.TestKeys;

/** Files a supervisor config points at, made the way an admin must make them (private: mode 600). */
public final class TestConfigs {
    /**
     * The smallest valid config: a local bastion and one tunnel. Format with the host key's {@code type base64} and
     * the key file's path; line numbers of its keys are what the broken-config tests count on.
     */
    public static final String TUNNEL_ONLY = """
            bastion:
              provider: local
              host: 203.0.113.10
              port: 47022
              hostKey: "[203.0.113.10]:47022 %s"
            tunnels:
              - name: primary
                user: tunnel1
                key: %s
                remote: 127.0.0.1:29000
                local: 127.0.0.1:8080
            """;

    private TestConfigs() {
    }

    /** A fresh ed25519 private key at {@code file}, mode 600. */
    public static Path privateKey(Path file, String comment) {
        return privateFile(file, TestKeys.ed25519(comment).privatePem());
    }

    /** {@code content} at {@code file}, mode 600, as secrets and keys must be. */
    public static Path privateFile(Path file, String content) {
        try {
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
