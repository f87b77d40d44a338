package dev.lifeline.templates.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.lifeline.templates.render.FileModes;
import dev.lifeline.templates.render.RenderedFile;

/**
 * A directory that stands in for the bastion's "/": rendered files are written under it at their
 * real paths with their real modes. sshd's StrictModes refuses keys under a group- or world-writable
 * directory (such as /tmp), so the root is made where every parent is root-owned and closed.
 */
public final class BastionRoot implements AutoCloseable {
    private final Path dir;

    private BastionRoot(Path dir) {
        this.dir = dir;
    }

    public static BastionRoot create() {
        try {
            Path base = Path.of("target").toAbsolutePath();
            Files.createDirectories(base);
            if (!strictModesSafe(base)) {
                base = Path.of("/run");
            }
            Path dir = Files.createTempDirectory(base, "lifeline-it-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return new BastionRoot(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean strictModesSafe(Path p) throws IOException {
        for (Path at = p; at != null; at = at.getParent()) {
            var perms = Files.getPosixFilePermissions(at);
            String owner = Files.getOwner(at).getName();
            if (!owner.equals("root") || perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
                return false;
            }
        }
        return true;
    }

    public String root() {
        return dir.toString();
    }

    public Path path(String absolute) {
        return dir.resolve(absolute.substring(1));
    }

    public void write(List<RenderedFile> files) {
        for (RenderedFile f : files) {
            write(f.path(), f.content(), f.mode());
        }
    }

    public Path write(String absolute, String content, String mode) {
        try {
            Path p = path(absolute);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            Files.setPosixFilePermissions(p, FileModes.of(mode));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "BastionRoot[" + dir + "]";
    }
}
