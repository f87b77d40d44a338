package dev.lifeline.supervisor.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A small state file that is either the old content or the new, never half of each, even on power loss: the new
 * content goes to a temporary file in the same directory, is fsynced, renamed over the old one, and the directory is
 * fsynced so the rename itself survives.
 */
public final class AtomicFile {
    private static final java.nio.file.attribute.FileAttribute<?> OWNER_ONLY =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    private final Path file;

    public AtomicFile(Path file) {
        if (file == null || file.getFileName() == null) {
            throw new IllegalArgumentException("state file path is required");
        }
        this.file = file.toAbsolutePath();
    }

    public Path path() {
        return file;
    }

    /** The content, or empty when the file does not exist. */
    public Optional<byte[]> read() {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(byte[] content) {
        Path dir = file.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            // A fresh, unpredictable name created 0600 (O_EXCL): no one can plant a link at it beforehand, and no one
            // can read the content (state, or a config holding paths to secrets) while it is being written.
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", OWNER_ONLY);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            syncDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write already failed; a stray temporary file is the lesser problem
            }
        }
    }

    /**
     * Moves an unusable file out of the way as {@code NAME.bad} (or {@code NAME.bad.2}, …) so that a person can look at
     * it later, instead of it being overwritten silently. Returns where it went.
     */
    public Path setAside() {
        try {
            // bounded: names .bad, .bad.2 … .bad.100, then the oldest name is reused
            Path bad = file.resolveSibling(file.getFileName() + ".bad");
            for (int i = 2; Files.exists(bad) && i <= 100; i++) {
                bad = file.resolveSibling(file.getFileName() + ".bad." + i);
            }
            Files.move(file, bad, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(file.getParent());
            return bad;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + file + " aside: " + e.getMessage(), e);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        // Linux lets a directory be opened read-only and fsynced; that is what makes the rename durable
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public String toString() {
        return "AtomicFile[" + file + "]";
    }
}
