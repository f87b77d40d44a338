package dev.lifeline.supervisor.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's {@code ops/} directory (Prometheus rules and examples, the Grafana dashboard), from the module or the root. */
public final class OpsFiles {
    private OpsFiles() {
    }

    public static Path path(String relative) {
        for (Path base : new Path[] {Path.of("..", "ops"), Path.of("ops")}) {
            Path p = base.resolve(relative).toAbsolutePath().normalize();
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("ops/" + relative + " is missing from the repository");
    }
}
