package dev.lifeline.supervisor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.lifeline.templates.testing.Tools;

/** The `.deb` the package phase built (jdeb), as the integration tests install and inspect it. */
public final class BuiltPackage {
    private BuiltPackage() {
    }

    public static Path deb() {
        // from the module (the integration tests) or from the repository root (ci/bench.sh)
        Path target = Files.isDirectory(Path.of("supervisor", "target")) ? Path.of("supervisor", "target") : Path.of("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("lifeline_.*_all\\.deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/lifeline_*_all.deb: the package phase makes it"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The package's files unpacked into {@code dir} ({@code dpkg-deb -x}: no maintainer scripts), {@code dir} returned. */
    public static Path unpack(Path dir) {
        return unpack(deb(), dir);
    }

    /** Another build's package (e.g. the one before a change, to compare), unpacked the same way. */
    public static Path unpack(Path deb, Path dir) {
        Tools.Result x = Tools.run(120, List.of("dpkg-deb", "-x", deb.toString(), dir.toString()));
        if (x.exitCode() != 0) {
            throw new IllegalStateException("dpkg-deb -x " + deb + ": " + x);
        }
        return dir;
    }
}
