#!/usr/bin/env bash
# Benchmarks: print figures to hold against the reference figures in ../shared/design/measurements.md.
# Not tests: nothing here passes or fails on a number. Needs what ci/test.sh installs (run it once first).
#   ci/bench.sh tunnels    MINA tunnel vs OpenSSH ssh -R throughput, reconnect and dead-path times,
#                          supervisor RSS and idle CPU with two tunnels
#                          knobs: BENCH_MB=1024 (per run), BENCH_CIPHERS=a,b, BENCH_JVM_FLAGS="…", BENCH_THROUGHPUT_ONLY=1
#   ci/bench.sh probes     data used by one early-stopping throughput check (10 Mbit/s threshold, ~100 Mbit/s line)
#                          against a fixed 25 MB speedtest-style download, and the ratio
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
    tunnels)
        mvn -B -q -ntp -pl supervisor -am install -DskipTests
        mvn -B -q -ntp -pl supervisor exec:java -Dexec.classpathScope=test \
            -Dexec.mainClass=dev.lifeline.supervisor.bench.TunnelBench 2>&1 | grep -v ' INFO \| WARN '
        ;;
    probes)
        mvn -B -q -ntp -pl supervisor -am install -DskipTests
        mvn -B -q -ntp -pl supervisor exec:java -Dexec.classpathScope=test \
            -Dexec.mainClass=dev.lifeline.supervisor.bench.ProbeBench 2>&1 | grep -v ' INFO \| WARN '
        ;;
    *)
        echo "usage: ci/bench.sh tunnels|probes" >&2
        exit 2
        ;;
esac
