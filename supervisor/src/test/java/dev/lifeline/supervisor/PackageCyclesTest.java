package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The supervisor's packages depend on each other one way only: no package reaches (directly or through others) a
 * package that reaches it back. Read from the sources — imports and fully qualified names alike — so a cycle fails
 * here before it is compiled into a tangle.
 */
class PackageCyclesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/lifeline/supervisor");
    private static final Pattern REFERENCE = Pattern.compile("dev\\.lifeline\\.supervisor\\.([a-z]+)\\.");

    @Test
    void noPackageDependsOnOneThatDependsOnItBack() throws IOException {
        Map<String, Set<String>> graph = dependencies();

        List<String> cycles = new ArrayList<>();
        for (String from : graph.keySet()) {
            for (String to : graph.get(from)) {
                if (from.compareTo(to) < 0 && reaches(graph, to, from)) {
                    cycles.add(from + " <-> " + to);
                }
            }
        }

        assertThat(graph).as("packages found").hasSizeGreaterThan(8);
        assertThat(cycles).as("package pairs that reach each other, in %s", graph).isEmpty();
    }

    @Test
    void theCheckSeesACycleWhereThereIsOne() {
        Map<String, Set<String>> tangled = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));

        assertThat(reaches(tangled, "b", "a")).isTrue();
        assertThat(reaches(tangled, "a", "d")).isFalse();
    }

    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file).getName(0).toString();
                if (pkg.endsWith(".java")) {
                    continue;
                }
                Set<String> deps = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        deps.add(m.group(1));
                    }
                }
            }
        }
        return graph;
    }

    private static boolean reaches(Map<String, Set<String>> graph, String from, String to) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(List.of(from));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (next.equals(to)) {
                return true;
            }
            if (seen.add(next)) {
                todo.addAll(graph.getOrDefault(next, Set.of()));
            }
        }
        return false;
    }
}
