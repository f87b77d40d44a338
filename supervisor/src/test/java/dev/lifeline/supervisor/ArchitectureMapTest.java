package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** docs/architecture.md stays true: every package it names exists in some module's sources. */
class ArchitectureMapTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyPackageTheMapNamesExists() throws IOException {
        String map = Files.readString(REPO.resolve("docs/architecture.md"));
        Matcher m = Pattern.compile("`(dev\\.lifeline\\.[a-z.]+)`").matcher(map);
        List<String> named = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        while (m.find()) {
            String pkg = m.group(1);
            named.add(pkg);
            String dir = "src/main/java/" + pkg.replace('.', '/');
            boolean exists = List.of("templates", "provision", "supervisor").stream()
                    .anyMatch(module -> Files.isDirectory(REPO.resolve(module).resolve(dir)));
            if (!exists) {
                missing.add(pkg);
            }
        }

        assertThat(named).as("the map names packages").hasSizeGreaterThan(10);
        assertThat(missing).as("packages docs/architecture.md names that no module has").isEmpty();
    }
}
