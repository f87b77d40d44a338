package dev.lifeline.supervisor.cloud;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

import dev.lifeline.supervisor.config.ConfigException;

/** Reads an API token the way OpenSSH reads a private key: only from a file nobody else can read. */
public final class TokenFile {
    private static final Set<PosixFilePermission> OPEN_TO_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private TokenFile() {
    }

    /** The token, trimmed; the messages name the key and file, never a byte of the content. */
    public static String read(String key, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(key + " " + file + " does not exist or is not a file; put the API token there (chmod 600)");
        }
        String text;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(OPEN_TO_OTHERS::contains)) {
                throw new ConfigException(key + " " + file + " is readable by others (" + PosixFilePermissions.toString(perms)
                        + "); an API token must be private: chmod 600 " + file);
            }
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException(key + " " + file + " cannot be read (" + e.getClass().getSimpleName() + "); check its owner and permissions");
        }
        if (text.isEmpty() || text.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new ConfigException(key + " " + file + " must hold exactly one API token (one line, no spaces)");
        }
        return text;
    }
}
