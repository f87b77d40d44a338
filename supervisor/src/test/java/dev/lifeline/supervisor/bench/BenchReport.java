package dev.lifeline.supervisor.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one table ci/bench.sh prints, and the same figures as JSON so a later run can be compared with this one. */
final class BenchReport {
    private BenchReport() {
    }

    static void print(List<Figure> figures, PrintStream out) {
        out.printf("%n%-58s %12s %-6s %12s  %-4s %s%n", "figure", "measured", "unit", "target", "met", "anchor (same run)");
        for (Figure f : figures) {
            String target = f.hasTarget() ? (f.atMost() ? "≤ " : "≥ ") + number(f.target()) : "";
            String met = f.hasTarget() ? (f.met() ? "yes" : "NO") : "";
            out.printf("%-58s %12s %-6s %12s  %-4s %s%n", f.label(), number(f.value()), f.unit(), target, met, f.anchor());
        }
        long missed = figures.stream().filter(f -> !f.met()).count();
        out.printf("%d of %d figures with a target met%n", figures.stream().filter(Figure::hasTarget).count() - missed,
                figures.stream().filter(Figure::hasTarget).count());
    }

    /** target/bench/bench-<time>.json and target/bench/latest.json. */
    static Path write(List<Figure> figures, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("time", Instant.now().toString());
        doc.put("jvm", Runtime.version().toString());
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        doc.put("jvmArguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
        doc.put("figures", figures.stream().map(BenchReport::asMap).toList());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path file = dir.resolve("bench-" + Instant.now().toString().replace(':', '-') + ".json");
        json.writeValue(file.toFile(), doc);
        Files.copy(file, dir.resolve("latest.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    private static Map<String, Object> asMap(Figure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", f.key());
        m.put("label", f.label());
        m.put("value", f.value());
        m.put("unit", f.unit());
        if (f.hasTarget()) {
            m.put("target", f.target());
            m.put("atMost", f.atMost());
            m.put("met", f.met());
        }
        m.put("anchor", f.anchor());
        return m;
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 || v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.2f", v);
    }
}
