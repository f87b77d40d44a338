package dev.lifeline.supervisor.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ci/bench.sh: runs the named parts (all without arguments), prints one table of every figure with its target and
 * anchor, and writes it as JSON under supervisor/target/bench/. Figures, not a test: nothing fails on a number.
 */
public final class Bench {
    private static final Map<String, BenchPart> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("throughput", ThroughputBench::figures);
        // a tool for measuring one change, not a figure of the product: only when named
        PARTS.put("throughput-ab", ThroughputBench::abFigures);
        PARTS.put("footprint", FootprintBench::figures);
        PARTS.put("dead-tunnel", DeadTunnelBench::figures);
        PARTS.put("probes", ProbeBench::figures);
        PARTS.put("outage", OutageBench::figures);
        PARTS.put("stale-listener", StaleListenerBench::figures);
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> names = args.length == 0
                ? PARTS.keySet().stream().filter(n -> !n.equals("throughput-ab")).toList() : List.of(args);
        for (String name : names) {
            if (!PARTS.containsKey(name)) {
                System.err.println("ci/bench.sh: no part '" + name + "'; the parts are " + PARTS.keySet());
                System.exit(2);
            }
        }
        List<Figure> figures = new ArrayList<>();
        for (String name : names) {
            System.out.printf("== %s ==%n", name);
            figures.addAll(PARTS.get(name).run());
        }
        BenchReport.print(figures, System.out);
        System.out.println("JSON: " + BenchReport.write(figures, Path.of(System.getProperty("bench.out", "target/bench"))).toAbsolutePath());
    }
}
