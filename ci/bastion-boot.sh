#!/usr/bin/env bash
# The booted-bastion harness (issue 14): a real Debian 12 booted with systemd-nspawn, fed user-data through
# cloud-init's NoCloud seed exactly as the cloud would feed it, on a private network with no route out.
#
#   ci/bastion-boot.sh image                          build the Debian 12 root file system once (cached) and print its path
#   ci/bastion-boot.sh net-up   RUN                   the private network: switch namespace, host end 198.19.200.1/24, apt proxy
#   ci/bastion-boot.sh boot     RUN NAME N USERDATA   boot a fresh copy as machine NAME at 198.19.200.(10+N); wait for cloud-init
#   ci/bastion-boot.sh exec     RUN NAME CMD...       run CMD as root inside machine NAME
#   ci/bastion-boot.sh cp       RUN NAME SRC DEST     copy a host file into machine NAME
#   ci/bastion-boot.sh attach   RUN NAME NETNS ADDR PEER NET...
#                                                     a second interface into another namespace: machine NAME at ADDR,
#                                                     NETNS at PEER, routes to each NET via PEER (e.g. the lab's bastion)
#   ci/bastion-boot.sh stop     RUN                   stop every machine, the proxy and the network of RUN (by PID), remove RUN
#
# RUN is a fresh directory the caller owns (pids, logs, the machines' overlays). USERDATA is the user-data file as the
# provider passes it: gzip'd (as EC2 gets it) or plain (as DigitalOcean does); cloud-init's NoCloud reads both.
# Timings go to stdout as "timing: <what> <seconds>s". Root only. Needs debootstrap, systemd-nspawn
# (systemd-container), iproute2, python3 (ci/test.sh installs them). One RUN at a time per machine: the subnet is fixed;
# net-up removes the leftovers of a run that was killed before its stop (none of its processes alive), never a live one.
#
# Network:   host 198.19.200.1 ── lboot-h<id> ══ lboot-sw-<id> (a bridge in its own namespace) ══ lboot-m<id>-<N>: 198.19.200.(10+N)
# The switch namespace also answers at 169.254.169.254:80 (a stand-in for the cloud's metadata service).
# No machine has a default route. apt inside reaches deb.debian.org only through the filtering proxy at 198.19.200.1:3142.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${LIFELINE_BOOT_CACHE:-/var/cache/lifeline-ci}
SUBNET=198.19.200
HOST_IP=$SUBNET.1
PROXY_PORT=3142
REGISTRY=/run/lifeline-ci/boot    # lboot-<id> holds the path of run <id>: how a later net-up finds a killed run's directory
MIRROR=http://deb.debian.org/debian

die() { echo "bastion-boot: $*" >&2; exit 2; }
now() { date +%s.%N; }
timing() { awk -v a="$2" -v b="$(now)" -v w="$1" 'BEGIN { printf "timing: %s %.1fs\n", w, b - a }'; }
[ "$(id -u)" -eq 0 ] || die "run as root (it makes network namespaces and boots containers)"

# --- the image --------------------------------------------------------------------------------------------------
# What a Debian 12 cloud image has that matters to our user-data: systemd as init, dbus, cloud-init, openssh-server,
# sudo, a generated en_US.UTF-8 locale, apt with the bookworm, -updates and -security sources. Not here, because a
# container can't use them: a kernel, grub, ifupdown/dhclient (the harness addresses the machine's interface itself).
IMAGE_PACKAGES=(systemd systemd-sysv dbus cloud-init openssh-server sudo locales ca-certificates netbase iproute2
    apt-utils less procps systemd-timesyncd)

build_image() { # target
    local t=$1
    # debootstrap's own resolver can't follow virtual packages (cloud-init's python3-cryptography needs
    # python3-cffi-backend-api-*), so it lays down the base and apt installs the rest.
    debootstrap --variant=minbase --include=systemd-sysv,dbus,locales,ca-certificates bookworm "$t" "$MIRROR"
    cat > "$t/etc/apt/sources.list" <<EOF
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
    echo "en_US.UTF-8 UTF-8" > "$t/etc/locale.gen"
    chroot "$t" locale-gen >/dev/null
    echo 'LANG=C.UTF-8' > "$t/etc/default/locale"
    chroot "$t" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    chroot "$t" env DEBIAN_FRONTEND=noninteractive apt-get -y -qq upgrade >/dev/null
    printf '#!/bin/sh\nexit 101\n' > "$t/usr/sbin/policy-rc.d"; chmod 0755 "$t/usr/sbin/policy-rc.d"   # start nothing in the chroot
    chroot "$t" env DEBIAN_FRONTEND=noninteractive apt-get -y -qq install --no-install-recommends "${IMAGE_PACKAGES[@]}" >/dev/null
    rm "$t/usr/sbin/policy-rc.d"
    # cloud-init must find only the NoCloud seed: no network probing of EC2/GCE/... metadata addresses at boot
    echo 'datasource_list: [ NoCloud, None ]' > "$t/etc/cloud/cloud.cfg.d/90-lifeline-ci-datasource.cfg"
    # no machine id: each boot of a copy makes its own, as a fresh cloud instance does
    : > "$t/etc/machine-id"; rm -f "$t/var/lib/dbus/machine-id"
    rm -f "$t"/etc/ssh/ssh_host_*   # cloud-init generates (or, with ssh_deletekeys, deletes) them on first boot
    chroot "$t" apt-get clean
}

image_key() { # a hash of what the image is made of (the package list, the build function) and of the week:
    # a fresh image each week keeps the boot's package_upgrade small, as on a cloud image Debian refreshes
    { echo "${IMAGE_PACKAGES[*]}"; declare -f build_image; date -u +%G-W%V; } | sha256sum | cut -c1-16
}

prune_images() { # keep: the newest image, and any image a running machine still mounts
    local keep=$1 d
    for d in "$CACHE"/bookworm-*; do
        if [ ! -d "$d" ] || [ "$d" = "$keep" ]; then continue; fi
        grep -q "lowerdir=$d/root[,:]" /proc/mounts && continue
        rm -rf --one-file-system "$d"
        rm -f "$CACHE/build-${d##*/bookworm-}.log"
    done
}

cmd_image() {
    local key dir t0
    key=$(image_key)
    dir=$CACHE/bookworm-$key
    if [ ! -f "$dir/.complete" ]; then
        command -v debootstrap >/dev/null || die "debootstrap is missing (ci/test.sh installs it)"
        mkdir -p "$CACHE"
        exec 9>"$CACHE/.lock"; flock 9   # two builders wait for one another instead of racing
        if [ ! -f "$dir/.complete" ]; then
            t0=$(now)
            rm -rf "$dir.tmp"
            local rc=0
            (set -e; build_image "$dir.tmp/root") > "$CACHE/build-$key.log" 2>&1 || rc=$?
            if [ "$rc" -ne 0 ] || ! chroot "$dir.tmp/root" dpkg --audit >> "$CACHE/build-$key.log" 2>&1; then
                tail -20 "$CACHE/build-$key.log" >&2; die "image build failed; log: $CACHE/build-$key.log"
            fi
            touch "$dir.tmp/.complete"
            rm -rf "$dir"; mv "$dir.tmp" "$dir"
            timing image-build "$t0" >&2
            prune_images "$dir"
        fi
        exec 9>&-
    fi
    echo "$dir/root"
}

# --- the network ------------------------------------------------------------------------------------------------
run_id() { echo "$1" | sha256sum | cut -c1-6; }   # short: interface names are at most 15 characters

cmd_net_up() { # RUN
    local run=$1 id sw
    [ -d "$run" ] || die "net-up: $run is not a directory"
    id=$(run_id "$run"); sw=lboot-sw-$id
    local holder
    holder=$(ip -o addr show to "$HOST_IP/32" | awk '{ sub(/@.*/, "", $2); print $2 }')
    if [ -n "$holder" ]; then
        # A run whose every process is gone was killed (SIGKILL, a lost session, a CI timeout) before its stop:
        # its leftovers are ours to remove. A run with a live process is someone's, and is left alone.
        case "$holder" in
            lboot-h*) reclaim "${holder#lboot-h}" \
                || die "net-up: $HOST_IP is taken by run ${holder#lboot-h} ($(cat "$REGISTRY/lboot-${holder#lboot-h}" 2>/dev/null || echo 'its directory is gone')), which still runs; one run at a time per machine (the subnet is fixed): stop it with ci/bastion-boot.sh stop RUN" ;;
            *) die "net-up: $HOST_IP is taken by $holder, which is not ours; free 198.19.200.0/24 and try again" ;;
        esac
    fi
    echo "$id" > "$run/id"
    mkdir -p "$REGISTRY"
    echo "$run" > "$REGISTRY/lboot-$id"
    ip netns add "$sw"
    echo "netns $sw" >> "$run/made"
    ip -n "$sw" link set lo up
    # A fixed MAC: a bridge without one takes the lowest of its ports' MACs, so each machine that joins or leaves may
    # change it, and the machines' ARP entries for the metadata stand-in on br0 go stale for up to ~45 s (seen: the
    # bastion's curl to 169.254.169.254 timed out right after a second machine joined). Locally administered address.
    ip -n "$sw" link add br0 address 02:00:c6:13:c8:01 type bridge
    ip -n "$sw" link set br0 up
    ip link add "lboot-h$id" type veth peer name up0 netns "$sw"
    echo "link lboot-h$id" >> "$run/made"
    ip -n "$sw" link set up0 master br0 up
    ip addr add "$HOST_IP/24" dev "lboot-h$id"
    ip link set "lboot-h$id" up
    # A stand-in for the cloud's metadata service at its link-local address, in the switch: the bastion's
    # nftables lets root (cloud-init) reach it and refuses every other user, which needs something to reach.
    ip -n "$sw" addr add 169.254.169.254/32 dev br0
    ip -n "$sw" route add "$SUBNET.0/24" dev br0
    mkdir -p "$run/metadata"
    echo "lifeline CI metadata stand-in" > "$run/metadata/index.html"
    setsid ip netns exec "$sw" /usr/bin/python3 -m http.server --bind 169.254.169.254 --directory "$run/metadata" 80 \
        > "$run/metadata.log" 2>&1 < /dev/null &
    echo "pid $! metadata" >> "$run/made"
    # apt's way out: only the hosts the image's own sources name
    local hosts
    hosts=$(awk '$1 == "deb" { split($2, u, "/"); print u[3] }' "$(cmd_image)/etc/apt/sources.list" | sort -u)
    local allow=()
    for h in $hosts; do allow+=(--allow "$h"); done
    setsid /usr/bin/python3 "$HERE/boot/apt-proxy.py" --listen "$HOST_IP:$PROXY_PORT" "${allow[@]}" \
        > "$run/apt-proxy.log" 2>&1 < /dev/null &
    echo "pid $! apt-proxy" >> "$run/made"
    for _ in $(seq 1 50); do
        (exec 3<>"/dev/tcp/$HOST_IP/$PROXY_PORT") 2>/dev/null && return 0
        sleep 0.1
    done
    die "the apt proxy did not listen on $HOST_IP:$PROXY_PORT: $(cat "$run/apt-proxy.log")"
}

run_alive() { # RUN: does any process the run started still live?
    local kind what rest
    [ -f "$1/made" ] || return 1
    while read -r kind what rest; do
        [ "$kind" = pid ] && kill -0 "$what" 2>/dev/null && return 0
    done < "$1/made"
    return 1
}

reclaim() { # ID: remove run ID's leftovers, unless something it started still runs (then fail, touching nothing)
    local id=$1 run ns nss
    run=$(cat "$REGISTRY/lboot-$id" 2>/dev/null) || run=""
    [ -n "$run" ] && [ -d "$run" ] && run_alive "$run" && return 1
    nss=$(ip netns list | awk -v id="$id" 'index($1, "lboot-sw-" id) == 1 || index($1, "lboot-m" id "-") == 1 { print $1 }')
    for ns in $nss; do [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] || return 1; done
    local where="its directory was gone"
    if [ -n "$run" ] && [ -d "$run" ]; then where=$run; elif [ -n "$run" ]; then where="$run: its directory was gone"; fi
    if [ -n "$run" ] && [ -d "$run" ]; then cmd_stop "$run" > /dev/null; fi   # its mounts, namespaces, links, directory
    for ns in $nss; do ip netns del "$ns" 2>/dev/null || true; done
    ip link del "lboot-h$id" 2>/dev/null || true
    rm -f "$REGISTRY/lboot-$id"
    echo "bastion-boot: reclaimed killed run $id ($where): nothing it started still ran"
}

# --- a machine --------------------------------------------------------------------------------------------------
leader() { # RUN NAME -> the container's PID 1 as seen from the host
    local pid child
    pid=$(cat "$1/machines/$2/pid" 2>/dev/null) || return 1
    # shellcheck disable=SC2013 # the file is a space-separated list of PIDs
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
        [ "$(cat /proc/"$child"/comm 2>/dev/null)" = systemd ] && { echo "$child"; return 0; }
    done
    return 1
}

cmd_boot() { # RUN NAME N USERDATA
    local run=$1 name=$2 n=$3 userdata=$4 id image m ns ip t0
    [ -f "$run/id" ] || die "boot: run net-up $run first"
    [ -f "$userdata" ] || die "boot: no user-data at $userdata"
    case "$n" in [0-9]|[1-9][0-9]) ;; *) die "boot: N must be 0..99 (got $n)";; esac
    id=$(cat "$run/id"); image=$(cmd_image)
    m=$run/machines/$name; ns=lboot-m$id-$n; ip=$SUBNET.$((10 + n))
    mkdir -p "$m/upper" "$m/work" "$m/root"
    # a fresh copy: the cached image is the read-only lower layer, everything the boot writes goes to upper
    mount -t overlay overlay -o "lowerdir=$image,upperdir=$m/upper,workdir=$m/work" "$m/root"
    echo "mount $m/root" >> "$run/made"
    local seed=$m/root/var/lib/cloud/seed/nocloud
    mkdir -p "$seed"
    cp "$userdata" "$seed/user-data"   # byte for byte as given: gzip'd (EC2) or plain (DigitalOcean)
    printf 'instance-id: lboot-%s-%s\nlocal-hostname: ip-%s\n' "$name" "$(date +%s)" "${ip//./-}" > "$seed/meta-data"
    # What the cloud does outside the user-data, done here instead: the network (the cloud's DHCP/metadata
    # network config; here the harness addresses the interface) and the way to the package registry.
    echo 'network: {config: disabled}' > "$m/root/etc/cloud/cloud.cfg.d/90-lifeline-ci-network.cfg"
    echo "Acquire::http::Proxy \"http://$HOST_IP:$PROXY_PORT/\";" > "$m/root/etc/apt/apt.conf.d/00lifeline-ci-proxy"
    ip netns add "$ns"
    echo "netns $ns" >> "$run/made"
    echo "$ns" > "$m/netns"
    ip -n "lboot-sw-$id" link add "m$n" type veth peer name host0 netns "$ns"
    ip -n "lboot-sw-$id" link set "m$n" master br0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$ip/24" dev host0
    ip -n "$ns" link set host0 up
    ip -n "$ns" route add 169.254.169.254/32 dev host0   # the cloud's route to its metadata service; no default route
    t0=$(now)
    # --register=no: no systemd-machined on a host whose PID 1 is not systemd; the machine runs as our child.
    # CAP_NET_ADMIN: nftables and ip in the machine's own network namespace (nspawn grants it only with
    # --private-network, which can't be combined with a namespace we made).
    # --keep-unit: nspawn would otherwise ask systemd over D-Bus for a scope unit, and no systemd runs here.
    # API_VFS_WRITABLE=network: /proc/sys/net writable (the bastion's sysctl.d applies, in its own network
    # namespace only) while the rest of /proc/sys stays read-only, so nothing in the machine changes the host's kernel.
    SYSTEMD_NSPAWN_API_VFS_WRITABLE=network \
    setsid systemd-nspawn --quiet --boot --directory="$m/root" --machine="lboot-$name" --register=no --keep-unit \
        --network-namespace-path="/run/netns/$ns" --capability=CAP_NET_ADMIN --console=pipe --private-users=no \
        > "$m/console.log" 2>&1 < /dev/null &
    local pid=$!
    echo "$pid" > "$m/pid"
    echo "pid $pid nspawn $name" >> "$run/made"
    # cloud-init's last stage writes result.json; `cloud-init status --wait` returns early on 22.4 when an earlier stage failed
    local deadline=$(( $(date +%s) + ${BOOT_TIMEOUT:-400} )) pid1=""
    while [ "$(date +%s)" -lt "$deadline" ]; do
        kill -0 "$pid" 2>/dev/null || { tail -40 "$m/console.log" >&2; die "boot: $name: systemd-nspawn exited"; }
        [ -n "$pid1" ] || pid1=$(leader "$run" "$name") || pid1=""
        if [ -n "$pid1" ] && [ -f "/proc/$pid1/root/run/cloud-init/result.json" ]; then
            timing "boot-$name" "$t0"
            return 0
        fi
        sleep 1
    done
    tail -40 "$m/console.log" >&2
    [ -n "$pid1" ] && tail -40 "/proc/$pid1/root/var/log/cloud-init-output.log" >&2
    die "boot: $name: cloud-init did not finish within ${BOOT_TIMEOUT:-400} s"
}

cmd_exec() { # RUN NAME CMD...
    local run=$1 name=$2 pid1; shift 2
    pid1=$(leader "$run" "$name") || die "exec: machine $name is not running"
    exec nsenter --target "$pid1" --mount --uts --ipc --net --pid --cgroup --root --wd \
        env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root "$@"
}

cmd_cp() { # RUN NAME SRC DEST: a file from the host into the running machine (root:root, mode kept)
    local pid1
    pid1=$(leader "$1" "$2") || die "cp: machine $2 is not running"
    cp --no-preserve=ownership "$3" "/proc/$pid1/root$4"
}

# A machine joined to a network of the caller's (the lab's), as a cloud VM sits on its provider's network: a veth
# from the machine's namespace (ext0, ADDR/32) to NETNS (PEER/32), the machine routing each NET via PEER. No
# default route: the machine reaches only what the caller names. Deleting the machine's namespace (stop) deletes
# the pair; forwarding in NETNS is the caller's.
cmd_attach() { # RUN NAME NETNS ADDR PEER NET...
    local run=$1 name=$2 netns=$3 addr=$4 peer=$5 id mns n peer_if net; shift 5
    [ -f "$run/machines/$name/netns" ] || die "attach: no machine $name in $run (boot it first)"
    ip netns list | grep -qw "$netns" || die "attach: no network namespace $netns"
    id=$(cat "$run/id"); mns=$(cat "$run/machines/$name/netns"); n=${mns##*-}
    peer_if=lbx$id-$n   # at most 15 characters: 3 + 6 + 1 + 2
    ip -n "$mns" link add ext0 type veth peer name "$peer_if" netns "$netns"
    ip -n "$mns" addr add "$addr/32" dev ext0
    ip -n "$mns" link set ext0 up
    ip -n "$mns" route add "$peer/32" dev ext0 src "$addr"
    for net in "$@"; do ip -n "$mns" route add "$net" via "$peer" dev ext0 src "$addr"; done
    ip -n "$netns" addr add "$peer/32" dev "$peer_if"
    ip -n "$netns" link set "$peer_if" up
    ip -n "$netns" route add "$addr/32" dev "$peer_if" src "$peer"
}

# --- stopping: everything RUN made, newest first, processes by PID --------------------------------------------------
cmd_stop() { # RUN
    local run=$1
    [ -f "$run/made" ] || { rm -rf --one-file-system "$run"; return 0; }
    local t0; t0=$(now)
    set +e
    local kind what rest pids=()
    while read -r kind what rest; do
        [ "$kind" = pid ] && kill -0 "$what" 2>/dev/null && { kill -TERM "$what"; pids+=("$what"); }
    done < <(tac "$run/made")
    # nspawn turns SIGTERM into a clean power-off of the machine; give it a bounded while
    local p alive
    for _ in $(seq 1 150); do
        alive=0
        for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && kill -KILL "$p"; done
    while read -r kind what rest; do
        case "$kind" in
            mount) for _ in 1 2 3 4 5; do mountpoint -q "$what" || break; umount "$what" 2>/dev/null || { sleep 0.5; umount -l "$what"; }; done ;;
            netns) for p in $(ip netns pids "$what" 2>/dev/null); do kill -KILL "$p"; done; ip netns del "$what" ;;
            link) ip link del "$what" 2>/dev/null ;;
        esac
    done < <(tac "$run/made")
    set -e
    if grep -q '^mount ' "$run/made" && awk '$1 == "mount" { print $2 }' "$run/made" | xargs -r -n1 mountpoint -q 2>/dev/null; then
        die "stop: an overlay under $run is still mounted; not removing $run"
    fi
    [ -f "$run/id" ] && rm -f "$REGISTRY/lboot-$(cat "$run/id")"
    rm -rf --one-file-system "$run"
    timing stop "$t0"
}

# --- by hand: boot one user-data file, show the result, stop ------------------------------------------------------
cmd_try() { # USERDATA
    run=$(mktemp -d /var/tmp/lboot-try.XXXXXX)   # global: the EXIT trap runs after this function returns
    trap 'cmd_stop "$run"' EXIT
    cmd_net_up "$run"
    cmd_boot "$run" try 0 "$1" || true
    (cmd_exec "$run" try cat /run/cloud-init/result.json) || true
    if [ -n "${LBOOT_SHELL:-}" ]; then echo "RUN=$run; leaving the machine up until you exit this shell"; bash -i; fi
}

case "${1:-}" in
    image) cmd_image ;;
    net-up) cmd_net_up "${2:?net-up RUN}" ;;
    boot) cmd_boot "${2:?boot RUN NAME N USERDATA}" "${3:?NAME}" "${4:?N}" "${5:?USERDATA}" ;;
    exec) shift; [ $# -ge 3 ] || die "exec RUN NAME CMD..."; cmd_exec "$@" ;;
    cp) cmd_cp "${2:?cp RUN NAME SRC DEST}" "${3:?NAME}" "${4:?SRC}" "${5:?DEST}" ;;
    attach) shift; [ $# -ge 6 ] || die "attach RUN NAME NETNS ADDR PEER NET..."; cmd_attach "$@" ;;
    stop) cmd_stop "${2:?stop RUN}" ;;
    try) cmd_try "${2:?try USERDATA}" ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
esac
