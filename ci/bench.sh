#!/usr/bin/env bash
# Benchmarks: one table of every figure, its target and its anchor (OpenSSH, autossh, dpinger: measured in the same
# run where possible), and the same as JSON in supervisor/target/bench/ (latest.json and one file per run) to compare
# runs. Not tests: nothing here passes or fails on a number. Needs what ci/test.sh installs (run it once first).
#   ci/bench.sh                 every part
#   ci/bench.sh PART...         some: throughput footprint dead-tunnel probes outage stale-listener (tunnels = the first three)
#   knobs: BENCH_MB=512 (per throughput pull), BENCH_RUNS=5 (measured pulls per side, interleaved),
#          BENCH_CIPHERS=a,b, BENCH_JVM_FLAGS="…" (instead of jvm.options), BENCH_DEAD_ROUNDS=3,
#          BENCH_FOOTPRINT_MIB=2048 (the burst), BENCH_JVM_VARIANTS="flags;flags" (footprint: each added to jvm.options, measured too),
#          BENCH_FOOTPRINT_BASE_DEB=old.deb BENCH_FOOTPRINT_ROUNDS=2 (footprint: that package's idle RSS and this one's, interleaved),
#          BENCH_FOOTPRINT_ALERTS=1 (footprint: the supervisor's config also has SMS, mail and Telegram alerts)
#          BENCH_FOOTPRINT_CIPHERS=a,b (footprint: the tunnels offer only these, e.g. chacha20-poly1305@openssh.com, which loads JNA)
#          BENCH_IDLE_WINDOWS=3 (footprint: idle CPU over that many 30 s windows in a row, each printed, the last counted: a daemon's steady state, its idle paths compiled)
#   ci/bench.sh throughput-ab   two supervisors side by side to measure one change: B gets BENCH_AB_FLAGS="…" (JVM flags,
#          or MINA properties as -Dorg.apache.sshd.config.NAME=VALUE) and BENCH_AB_JAR=another/lifeline.jar;
#          A runs this build, or BENCH_AB_JAR_A=a/copy/of/main's/lifeline.jar (copy it: the build overwrites target/)
set -euo pipefail
cd "$(dirname "$0")/.."

parts=()
for a in "$@"; do
    case "$a" in
        tunnels) parts+=(throughput footprint dead-tunnel) ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) parts+=("$a") ;;
    esac
done
mvn -B -q -ntp -pl supervisor -am install -DskipTests
mvn -B -q -ntp -pl supervisor exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.lifeline.supervisor.bench.Bench \
    -Dbench.out="$PWD/supervisor/target/bench" -Dexec.args="${parts[*]:-}" 2>&1 | grep -v ' INFO \| WARN ' \
    | sed "s/\x1b\[[0-9;]*m//g" # (Maven 3.8 prints stray colour resets even in batch mode)
