package dev.lifeline.supervisor.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * A file holding one secret (an auth token, a password), treated the way OpenSSH treats a private key: refused when
 * anyone but its owner may read it. Config records keep only the path; the channel reads the secret when it is built,
 * so a secret never sits in a record's {@code toString()}. No message here ever carries a byte of the content.
 */
public final class SecretFile {
    private static final Set<PosixFilePermission> OPEN_TO_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecretFile() {
    }

    /** For config records: the path, checked; a problem names {@code key} so the loader can point at its line. */
    public static Path checked(String key, String path) {
        return checkedToken(key, path, -1);
    }

    /** As {@link #checked}; and unless {@code minLength} is negative, the content checked as {@link #token} will read it. */
    public static Path checkedToken(String key, String path, int minLength) {
        if (path == null || path.isBlank()) {
            throw new ConfigValueException(key, key + " is missing; put the secret in a file only lifeline can read (chmod 600) and give its path");
        }
        Path file = Path.of(path.trim());
        String problem = problem(file);
        if (problem != null) {
            throw new ConfigValueException(key, key + " " + problem);
        }
        try {
            if (minLength >= 0) {
                token(key, file, minLength);
            }
        } catch (ConfigException e) {
            throw new ConfigValueException(key, e.getMessage());
        }
        return file;
    }

    /** An API or bearer token: one secret of printable ASCII, no spaces, at least {@code minLength} long. */
    public static String token(String key, Path file, int minLength) {
        String text = read(key, file);
        if (text.length() < minLength || text.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new ConfigException(key + " " + file + " must hold exactly one token of at least " + minLength
                    + " printable characters, no spaces (one of your own: `openssl rand -hex 32`)");
        }
        return text;
    }

    /** The secret, trimmed, read when a channel is built. */
    public static String read(String key, Path file) {
        String problem = problem(file);
        if (problem != null) {
            throw new ConfigException(key + " " + problem);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException(key + " " + file + " cannot be read (" + e.getClass().getSimpleName() + "); check its owner and permissions");
        }
        if (text.isEmpty() || text.contains("\n")) {
            throw new ConfigException(key + " " + file + " must hold exactly one secret on one line");
        }
        return text;
    }

    private static String problem(Path file) {
        if (!Files.isRegularFile(file)) {
            return file + " does not exist or is not a file; put the secret there and chmod 600 " + file;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(OPEN_TO_OTHERS::contains)) {
                return file + " is readable by others (" + PosixFilePermissions.toString(perms) + "); a secret must be private: chmod 600 " + file;
            }
        } catch (IOException e) {
            return file + " cannot be checked (" + e.getClass().getSimpleName() + ")";
        }
        if (!Files.isReadable(file)) {
            return file + " cannot be read by this user; chown it to the user lifeline runs as";
        }
        return null;
    }
}
