#!/usr/bin/env bash
# The two-ISP lab (issue 6): the real `lifeline run` jar at home, two ISPs, the cloud, all in network namespaces
# on 198.18.0.0/15, with no route out. Runs the scenarios, prints a timeline and a results table, and tears
# everything down (namespaces, veths, processes by PID) even when a scenario fails.
#
#   ci/lab.sh                 every scenario
#   ci/lab.sh --scenario N    one (1..8)
#
# Root only. Needs iproute2 (ip, tc), nft, dnsmasq, moto, and debootstrap + systemd-nspawn for the booted bastion
# (ci/test.sh installs them all), and supervisor/target/lifeline.jar (mvn -B -q -ntp -pl supervisor -am package -DskipTests).
#
#                 ┌──────── isp1 (dnsmasq 198.18.1.1) ────────┐
#   home ── h1 198.18.1.2 (table 101: primary)                 n1 ── net: moto + counting proxy 198.19.0.10
#        ── h2 198.18.2.2/.3 (table 102: backup; main default) n2       twilio stub 198.19.0.11, identity/speed .12
#                 └──────── isp2 (dnsmasq 198.18.2.1, netem) ──┘         │ veth (ci/bastion-boot.sh attach)
#                                                                  bastion 198.19.0.20: a booted Debian 12
#
# The bastion is the real thing: a Debian 12 booted by ci/bastion-boot.sh from the user-data `pulumi up` would pass
# for the lab stack (`lifeline render --secret hostKey=…`, unmodified), once per run. moto's instance turning
# running/stopped starts/stops its sshd and nginx (systemctl inside the machine: a stopped VM keeps its disk).
#
# This file is the driver; ci/lab/lib.sh holds the network, the services, the bastion, the supervisor and the helpers,
# ci/lab/scenario-N.sh one scenario each, ci/lab/labnet.py the stubs and the bastion's power controller.
#
# isp2 degrades its line toward home with `tc netem` where the kernel has sch_netem, and otherwise with
# `labnet.py linkem` (the same delay, rate and loss in user space, through a tun device; see degrade_backup).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

ONLY=""
while [ $# -gt 0 ]; do
    case "$1" in
        --scenario) ONLY="${2:?--scenario needs a number 1..8}"; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "ci/lab.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done
case "$ONLY" in ""|[1-8]) ;; *) echo "ci/lab.sh: --scenario takes 1..8 (got $ONLY)" >&2; exit 2 ;; esac

[ "$(id -u)" -eq 0 ] || { echo "ci/lab.sh: run as root (it makes network namespaces)" >&2; exit 2; }
JAR=$REPO/supervisor/target/lifeline.jar
VENV=/opt/lifeline-ci/venv/bin
for tool in ip tc nft /usr/sbin/dnsmasq python3 curl ss java ssh-keygen /usr/sbin/debootstrap systemd-nspawn nsenter \
        "$VENV/moto_server" "$VENV/python"; do
    command -v "$tool" >/dev/null || { echo "ci/lab.sh: $tool is missing; ci/test.sh installs what the lab needs" >&2; exit 2; }
done
[ -f "$JAR" ] || { echo "ci/lab.sh: $JAR is missing; build it: mvn -B -q -ntp -pl supervisor -am package -DskipTests" >&2; exit 2; }

# shellcheck source=ci/lab/lib.sh
. "$REPO/ci/lab/lib.sh"
for n in 1 2 3 4 5 6 7 8; do
    # shellcheck source=/dev/null
    . "$REPO/ci/lab/scenario-$n.sh"
done

trap cleanup EXIT
trap 'exit 130' INT TERM

# Leftovers of an interrupted run are ours to remove (same names); anything else is not touched.
for ns in "${ALL_NS[@]}"; do
    if ip netns list | grep -qw "$ns"; then
        for pid in $(ip netns pids "$ns"); do kill -KILL "$pid" 2>/dev/null || true; done
        ip netns del "$ns"
    fi
done
[ -d "$BOOT_RUN" ] && "$BOOT" stop "$BOOT_RUN" > /dev/null
rm -rf "$LAB"
mkdir -p "$LAB" "$LOGS"
chmod 0755 "$LAB"
: > "$PIDS"

# --- run ------------------------------------------------------------------------------------------------------------
echo "lifeline lab: building the network"
build_network
build_bastion
start_services
write_config
bastion_up
tl "lab up: 4 namespaces, moto instance $IID, bastion booted from the lab stack's user-data"

for n in 1 2 3 4 5 6 7 8; do
    if [ -z "$ONLY" ] || [ "$ONLY" = "$n" ]; then
        tl "--- scenario $n"
        "scenario_$n" || result "$n" "scenario $n" "-" "aborted: ${FAILS[*]:-error}" "FAILED"
    fi
done
supervisor_stop

echo
echo "Results"
printf '%-3s %-26s %-72s %s\n' "#" "scenario" "expected" "measured"
failed=0
for row in "${RESULTS[@]}"; do
    IFS='|' read -r n name expected measured ok <<< "$row"
    printf '%-3s %-26s %-72s %s\n    => %s\n' "$n" "$name" "$expected" "$measured" "$ok"
    [ "$ok" = PASS ] || failed=$((failed + 1))
done
echo "lab time: $(since "$T_START")s; $failed failed"
[ "$failed" -eq 0 ]
