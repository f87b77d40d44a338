#!/usr/bin/env bash
# A Docker engine of the test run's own, for the LocalStack EC2 scenarios (issue 20), on a machine that reaches no
# image registry:
#
#   ci/docker.sh start   install docker.io (no service started), start dockerd on a socket, bridge, data root and
#                        exec root of its own, build the LocalStack image if it is missing, write the environment
#                        Testcontainers needs to /run/lifeline-ci/docker.env (ci/test.sh sources it)
#   ci/docker.sh stop    remove our containers, stop dockerd by its PID, delete the bridge, and FAIL if anything is
#                        left: a dockerd, the bridge, a Docker firewall table, a mount, a changed ip_forward
#   ci/docker.sh image   print the LocalStack image's name (version + hash of ci/localstack/)
#   ci/docker.sh report  after `mvn verify`: how many LocalStack scenarios ran and passed, and the start-up time;
#                        fails if none ran or any was skipped or failed
#
# The daemon runs with --iptables=false --ip-forward=false --ip-masq=false: a container reaches nothing off the
# machine (published ports on 127.0.0.1 still work: docker-proxy carries them), and the host's firewall and
# forwarding stay as they were. Its HTTP(S)_PROXY is a closed port, so any pull fails at once instead of retrying.
# The data root lives in /var/cache/lifeline-ci/docker: the base image and the LocalStack image built once on a
# machine are reused by every later run there. Measured on a 2-core Debian 12 guest shared with other builds: cold
# (install docker.io, debootstrap the base, fetch the wheels, build) 170 s; warm (start dockerd, find the image)
# under 1 s. Disk: the data root ≈ 810 MB (base 169 MB + LocalStack 702 MB, shared layers), the wheels ≈ 100 MB;
# a new pin or Dockerfile replaces the old image and wheels rather than adding to them. Root only.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

RUN=/run/lifeline-ci
SOCK=$RUN/docker.sock
PIDFILE=$RUN/docker.pid
EXEC_ROOT=$RUN/docker-exec
LOG=$RUN/dockerd.log
ENV_FILE=$RUN/docker.env
STATE=$RUN/docker.before          # what the host looked like before start, for stop's check
CACHE=/var/cache/lifeline-ci
DATA_ROOT=$CACHE/docker
BRIDGE=lifeline-ci0
# 198.19.100.0/24: inside 198.18.0.0/15 (never routed on the internet), and apart from the ci/lab.sh namespaces'
# 198.18.x and 198.19.0.x and from 198.19.200.0/24 (the bastion-boot lab).
BRIDGE_CIDR=198.19.100.1/24
DOCKER=/usr/bin/docker            # docker.io's client (20.10, the daemon's own version; its build is the classic one)
DOCKERD=/usr/sbin/dockerd         # docker.io's daemon; it finds docker-proxy, containerd and runc on the PATH we give it

# The Debian root the image starts from; its parameters are part of its tag, so changing them makes a new base.
BASE_SUITE=bookworm
BASE_PACKAGES=python3,python3-venv
BASE_MIRROR=http://deb.debian.org/debian
LOCALSTACK_DIR=$REPO/ci/localstack
LOCALSTACK_VERSION=4.13.1

log() { echo "ci/docker.sh: $*" >&2; }
die() { log "$*"; exit 1; }

base_tag() {
    echo "lifeline-ci/debian:$BASE_SUITE-$(printf '%s\n' "$BASE_SUITE" "$BASE_PACKAGES" | sha256sum | cut -c1-12)"
}

# The LocalStack image's tag: the version first (Testcontainers reads it to choose LocalStack's one-port mode; a tag
# that is not a version puts it in the pre-0.11 port-per-service mode), then a hash of everything the image is
# built from, so an edit to the Dockerfile, the pins or the entrypoint builds a new image.
localstack_image() {
    local hash
    hash=$(cat "$LOCALSTACK_DIR/Dockerfile" "$LOCALSTACK_DIR/constraints.txt" "$LOCALSTACK_DIR/docker-entrypoint.sh" \
        <(base_tag) | sha256sum | cut -c1-12)
    echo "localstack/localstack:$LOCALSTACK_VERSION-$hash"
}

dockerd_pid() {
    [ -f "$PIDFILE" ] || return 1
    local pid
    pid=$(cat "$PIDFILE")
    [ -n "$pid" ] && [ -d "/proc/$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] && echo "$pid"
}

install_docker() {
    local missing=()
    [ -x "$DOCKERD" ] && [ -x "$DOCKER" ] || missing+=(docker.io)
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    [ "${#missing[@]}" -eq 0 ] && return 0
    log "installing ${missing[*]} (no service is started: this script starts its own dockerd)"
    # policy-rc.d 101 = "not allowed": the package's init script and systemd units stay stopped.
    local had_policy=0
    [ -e /usr/sbin/policy-rc.d ] && had_policy=1
    if [ "$had_policy" = 0 ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 0755 /usr/sbin/policy-rc.d
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || { [ "$had_policy" = 1 ] || rm -f /usr/sbin/policy-rc.d; die "apt-get install ${missing[*]} failed"; }
    [ "$had_policy" = 1 ] || rm -f /usr/sbin/policy-rc.d
    [ -x "$DOCKERD" ] || die "docker.io installed but $DOCKERD is missing"
}

docker_tables() { # any firewall table or chain named for Docker, in either iptables back end or nft
    {
        command -v nft >/dev/null && nft list ruleset 2>/dev/null
        command -v iptables-legacy-save >/dev/null && iptables-legacy-save 2>/dev/null
    } | grep -i -E 'docker' || true
}

start_dockerd() {
    if pid=$(dockerd_pid); then
        die "a dockerd (pid $pid) already runs on $SOCK: another ci/docker.sh run owns it; stop it with ci/docker.sh stop"
    fi
    mkdir -p "$RUN" "$EXEC_ROOT" "$DATA_ROOT"
    rm -f "$SOCK" "$PIDFILE"
    {
        echo "ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)"
        echo "docker_tables=$(docker_tables | wc -l)"
    } > "$STATE"

    # Our own bridge (dockerd's --bridge takes an existing one): the default docker0 and 172.17/16 stay free for
    # anyone else's Docker, and the containers' addresses come from 198.18.0.0/15.
    ip link del "$BRIDGE" 2>/dev/null || true   # left by a run that was killed before its stop
    ip link add "$BRIDGE" type bridge
    ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
    ip link set "$BRIDGE" up

    # setsid: dockerd in a session of its own, so a Ctrl-C meant for Maven does not kill it under our feet; stop
    # ends it by PID.
    HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY='' \
    PATH=/usr/sbin:/usr/bin:/sbin:/bin setsid "$DOCKERD" \
        --host "unix://$SOCK" \
        --pidfile "$PIDFILE" \
        --data-root "$DATA_ROOT" \
        --exec-root "$EXEC_ROOT" \
        --bridge "$BRIDGE" \
        --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
        --storage-driver overlay2 \
        --userland-proxy=true \
        </dev/null >"$LOG" 2>&1 &
    local launched=$!
    for _ in $(seq 1 300); do   # ≈ 1 s when healthy; 30 s at most
        if "$DOCKER" -H "unix://$SOCK" version >/dev/null 2>&1; then
            return 0
        fi
        if ! kill -0 "$launched" 2>/dev/null; then
            tail -n 30 "$LOG" >&2 || true
            ip link del "$BRIDGE" 2>/dev/null || true
            die "dockerd exited while starting (log above, full log in $LOG)"
        fi
        sleep 0.1
    done
    tail -n 30 "$LOG" >&2 || true
    kill "$launched" 2>/dev/null || true
    ip link del "$BRIDGE" 2>/dev/null || true
    die "dockerd did not answer on $SOCK within 30 s (log above, full log in $LOG)"
}

dk() { "$DOCKER" -H "unix://$SOCK" "$@"; }

# Scratch directories (a debootstrap root, a build context) go away when the script ends, also on failure; and a
# start that fails after dockerd is up (a build that breaks) stops it again rather than leave it running.
SCRATCH=()
STOP_ON_FAILURE=0
new_scratch() { # name: sets SCRATCH_DIR (not echoed: a $(…) subshell would keep the list to itself)
    SCRATCH_DIR=$(mktemp -d "/var/tmp/lifeline-ci-$1.XXXXXX")
    SCRATCH+=("$SCRATCH_DIR")
}
on_exit() {
    local status=$?
    for d in "${SCRATCH[@]}"; do rm -rf "$d"; done
    if [ "$status" -ne 0 ] && [ "$STOP_ON_FAILURE" = 1 ]; then
        log "start failed; stopping the dockerd it started"
        (stop) || true
    fi
}
trap on_exit EXIT

build_base() {
    local tag
    tag=$(base_tag)
    dk image inspect "$tag" >/dev/null 2>&1 && return 0
    log "building the base image $tag with debootstrap ($BASE_SUITE + $BASE_PACKAGES)"
    new_scratch rootfs
    local root=$SCRATCH_DIR
    debootstrap --variant=minbase --include="$BASE_PACKAGES" "$BASE_SUITE" "$root" "$BASE_MIRROR" >"$RUN/debootstrap.log" 2>&1 \
        || { tail -n 20 "$RUN/debootstrap.log" >&2; die "debootstrap failed (full log in $RUN/debootstrap.log)"; }
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
    tar -C "$root" -c . | dk import - "$tag" >/dev/null
    rm -rf "$root"
}

# Wheels for the image, downloaded (and, for the few sdists, built) on the host with Debian's own Python 3.11 — the
# image's — so every compiled wheel fits. Kept per hash of the pins: a rebuild on this machine skips PyPI.
fetch_wheels() { # dir
    local dir=$1
    [ -f "$dir/.complete" ] && return 0
    log "downloading LocalStack $LOCALSTACK_VERSION's wheels (pinned by ci/localstack/constraints.txt) into $dir"
    local venv=$CACHE/pip-venv
    [ -x "$venv/bin/pip" ] || /usr/bin/python3 -m venv "$venv"
    rm -rf "$dir"
    mkdir -p "$dir"
    # pip wheel resolves with the pins as constraints: a pin that no longer exists on the index, or that conflicts
    # with another, fails here with pip's reason rather than as a half-installed image.
    "$venv/bin/pip" wheel -q --disable-pip-version-check -w "$dir" -c "$LOCALSTACK_DIR/constraints.txt" \
        "localstack-core[runtime]==$LOCALSTACK_VERSION" || die "pip could not fetch LocalStack's pinned wheels"
    touch "$dir/.complete"
}

build_localstack() {
    local image=$1
    if dk image inspect "$image" >/dev/null 2>&1; then
        log "image $image is built (warm)"
        return 0
    fi
    build_base
    local wheels
    wheels=$CACHE/localstack-wheels-$(sha256sum < "$LOCALSTACK_DIR/constraints.txt" | cut -c1-12)
    fetch_wheels "$wheels"
    new_scratch localstack-context
    local ctx=$SCRATCH_DIR
    cp "$LOCALSTACK_DIR/Dockerfile" "$LOCALSTACK_DIR/constraints.txt" "$LOCALSTACK_DIR/docker-entrypoint.sh" "$ctx/"
    cp -r "$wheels" "$ctx/wheels"
    rm -f "$ctx/wheels/.complete"
    log "building $image (--network none: everything comes from the context)"
    DOCKER_BUILDKIT=0 dk build -q --force-rm --network none --build-arg "BASE_IMAGE=$(base_tag)" -t "$image" "$ctx" >"$RUN/build.log" 2>&1 \
        || { tail -n 30 "$RUN/build.log" >&2; die "docker build of $image failed (full log in $RUN/build.log)"; }
    rm -rf "$ctx"
    # Images of earlier pins or Dockerfiles would only fill the disk.
    local old
    for old in $(dk image ls --format '{{.Repository}}:{{.Tag}}' localstack/localstack); do
        [ "$old" = "$image" ] || dk image rm "$old" >/dev/null || true
    done
    local dir
    for dir in "$CACHE"/localstack-wheels-*; do
        [ "$dir" = "$wheels" ] || rm -rf "$dir"
    done
}

start() {
    [ "$(id -u)" -eq 0 ] || die "run as root (it installs docker.io and starts dockerd)"
    local t0 cold=warm
    t0=$(date +%s%N)
    install_docker
    STOP_ON_FAILURE=1
    start_dockerd
    local image
    image=$(localstack_image)
    dk image inspect "$image" >/dev/null 2>&1 || cold=cold
    build_localstack "$image"
    {
        echo "DOCKER_HOST=unix://$SOCK"
        # Testcontainers' own settings, from the environment (java.testcontainers.org/features/configuration:
        # "checks.disable becomes TESTCONTAINERS_CHECKS_DISABLE"; in testcontainers-java 1.21.3 ResourceReaper reads
        # TESTCONTAINERS_RYUK_DISABLED and DockerClientProviderStrategy TESTCONTAINERS_HOST_OVERRIDE with getenv):
        # no Ryuk (its image would have to be pulled; stop removes every container of this daemon instead), no
        # start-up checks (they run a helper image and retry for minutes when it can't be pulled), and the host
        # that published ports are on: /.dockerenv exists here, so Testcontainers (DockerClientConfigUtils'
        # IN_A_CONTAINER) would otherwise think it runs inside a container and look for the gateway by running yet
        # another image.
        echo "TESTCONTAINERS_RYUK_DISABLED=true"
        echo "TESTCONTAINERS_CHECKS_DISABLE=true"
        echo "TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1"
        echo "LIFELINE_LOCALSTACK_IMAGE=$image"
    } > "$ENV_FILE"
    local took
    took=$(( ($(date +%s%N) - t0) / 100000000 ))   # tenths of a second
    took="$((took / 10)).$((took % 10))"
    log "dockerd pid $(cat "$PIDFILE") on $SOCK, image $image; docker part ready in $took s ($cold)"
    echo "$took $cold" > "$RUN/docker.took"
    STOP_ON_FAILURE=0
}

stop() {
    local pid problems=()
    if pid=$(dockerd_pid); then
        # Only this run's containers live in this daemon: remove them all, then stop the daemon by its PID.
        local ids=()
        mapfile -t ids < <(dk ps -aq 2>/dev/null || true)
        [ "${#ids[@]}" -eq 0 ] || dk rm -f "${ids[@]}" >/dev/null 2>&1 || true
        kill -TERM "$pid"
        for _ in $(seq 1 150); do   # dockerd stops its containerd and shims first; 15 s at most
            [ -d "/proc/$pid" ] || break
            sleep 0.1
        done
        if [ -d "/proc/$pid" ]; then
            log "dockerd pid $pid did not stop in 15 s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.5
        fi
    fi
    ip link del "$BRIDGE" 2>/dev/null || true

    # What must be gone now.
    if pid=$(dockerd_pid); then problems+=("dockerd pid $pid still runs"); fi
    ip link show "$BRIDGE" >/dev/null 2>&1 && problems+=("bridge $BRIDGE still exists")
    if grep -q -E " ($DATA_ROOT|$EXEC_ROOT)[/ ]" /proc/mounts; then
        problems+=("mounts left under $DATA_ROOT or $EXEC_ROOT: $(grep -c -E " ($DATA_ROOT|$EXEC_ROOT)[/ ]" /proc/mounts)")
    fi
    if [ -f "$STATE" ]; then
        local before_forward before_tables
        before_forward=$(sed -n 's/^ip_forward=//p' "$STATE")
        before_tables=$(sed -n 's/^docker_tables=//p' "$STATE")
        [ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$before_forward" ] \
            || problems+=("net.ipv4.ip_forward is $(cat /proc/sys/net/ipv4/ip_forward), was $before_forward")
        [ "$(docker_tables | wc -l)" -le "$before_tables" ] \
            || problems+=("firewall rules naming Docker appeared: $(docker_tables | head -n 3 | tr '\n' ' ')")
    fi
    # Helpers of our dockerd name our exec root (containerd, its shims) or our bridge's addresses (docker-proxy).
    local p
    for p in $(pgrep -f -- "$EXEC_ROOT"; pgrep -f -- "-container-ip ${BRIDGE_CIDR%.*}\."); do
        problems+=("$(cat "/proc/$p/comm" 2>/dev/null) pid $p still runs")
    done
    rm -f "$ENV_FILE" "$STATE" "$SOCK"
    if [ "${#problems[@]}" -gt 0 ]; then
        printf 'ci/docker.sh: left behind: %s\n' "${problems[@]}" >&2
        exit 1
    fi
    log "stopped; no dockerd, bridge, Docker firewall rule, mount or ip_forward change left"
}

# One line for the run's summary: how many LocalStack scenarios ran and passed (from failsafe's report), and what
# the Docker part cost.
report() {
    local took="?" kind="?"
    [ -f "$RUN/docker.took" ] && read -r took kind < "$RUN/docker.took"
    python3 - "$REPO/supervisor/target/failsafe-reports" "$took" "$kind" "$RUN/docker.took" <<'EOF'
import glob, os, sys, xml.etree.ElementTree as ET
reports, took, kind, started = sys.argv[1:]
since = os.path.getmtime(started) if os.path.exists(started) else 0
run = failed = skipped = 0
for path in glob.glob(reports + "/TEST-*AwsBastionControlIT*.xml"):
    if os.path.getmtime(path) < since:
        continue  # a report from before this run's `ci/docker.sh start` says nothing about this run
    for case in ET.parse(path).getroot().iter("testcase"):
        if not case.get("classname", "").endswith("AgainstLocalStack"):
            continue
        if case.find("skipped") is not None:
            skipped += 1
            continue
        run += 1
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
print(f"ci/docker.sh: LocalStack scenarios: {run} run, {run - failed} passed, {failed} failed, {skipped} skipped; "
      f"Docker part {took} s ({kind})")
sys.exit(1 if run == 0 or failed or skipped else 0)
EOF
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    image) localstack_image ;;
    report) report ;;
    *) echo "usage: ci/docker.sh start|stop|image|report" >&2; exit 2 ;;
esac
