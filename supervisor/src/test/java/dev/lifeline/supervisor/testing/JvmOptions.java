package dev.lifeline.supervisor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * lifeline's JVM flags file (templates/…/home/jvm.options, a java argument file): the one place the flags live. The
 * .deb installs it for /usr/bin/lifeline and the systemd unit, ./lifeline reads it, and so do the tests and ci/bench.sh.
 */
public final class JvmOptions {
    private static final Path IN_TEMPLATES = Path.of("templates", "src", "main", "resources", "home", "jvm.options");

    private JvmOptions() {
    }

    /** The repository's file, from the module (the integration tests) or from the repository root (ci/bench.sh). */
    public static Path file() {
        for (Path p : List.of(Path.of("..").resolve(IN_TEMPLATES), IN_TEMPLATES)) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("no " + IN_TEMPLATES + " from " + Path.of("").toAbsolutePath());
    }

    /** The java command-line arguments that run with the shipped flags: {@code @FILE}, as /usr/bin/lifeline passes them. */
    public static List<String> javaArguments() {
        return List.of("@" + file());
    }

    /** The flags of an argument file: one or more a line, {@code #} lines are comments (as the java launcher reads it). */
    public static List<String> read(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .flatMap(l -> Arrays.stream(l.split("\\s+"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
