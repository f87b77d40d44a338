package dev.lifeline.supervisor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The JVM flags line of the ./lifeline launcher ({@code jvm_flags=(…)}), as the tests and the benchmark use them. */
public final class LauncherFlags {
    private LauncherFlags() {
    }

    public static List<String> read() {
        for (Path p : List.of(Path.of("..", "lifeline"), Path.of("lifeline"))) {
            if (Files.isRegularFile(p)) {
                try {
                    for (String line : Files.readAllLines(p)) {
                        if (line.startsWith("jvm_flags=(")) {
                            return Arrays.asList(line.substring("jvm_flags=(".length(), line.lastIndexOf(')')).trim().split("\\s+"));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no jvm_flags=(...) line in the ./lifeline launcher");
    }
}
