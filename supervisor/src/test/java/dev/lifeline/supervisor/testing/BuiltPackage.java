package dev.lifeline.supervisor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The `.deb` the package phase built (jdeb), as the integration tests install and inspect it. */
public final class BuiltPackage {
    private BuiltPackage() {
    }

    public static Path deb() {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("lifeline_.*_all\\.deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/lifeline_*_all.deb: the package phase makes it"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
