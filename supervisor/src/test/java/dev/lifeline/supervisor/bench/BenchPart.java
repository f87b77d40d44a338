package dev.lifeline.supervisor.bench;

import java.util.List;

/** One part of ci/bench.sh (throughput, footprint, ...): runs on its own and returns its rows. */
interface BenchPart {
    List<Figure> run() throws Exception;
}
