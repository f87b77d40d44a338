#!/usr/bin/env bash
# Runs every test lifeline has, on a fresh Debian 12 machine, as root.
# First installs what the tests need (idempotent: a second run installs nothing), then runs
# `mvn -B verify`: unit tests, then the *IT tests against real sshd, nginx, cloud-init and shellcheck, and on a booted
# Debian 12 (ci/bastion-boot.sh; its image is cached in /var/cache/lifeline-ci); then the demo and the two-ISP lab
# (ci/lab.sh). Ends with one summary block (ci/summary.py): tests per module and why any was skipped, the demo, the
# lab's table, where the time went; exit 0 only when everything passed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests run for real. Add to this list, never install a tool inside a test.
packages=(
    openjdk-17-jdk-headless maven     # the build
    openssh-server openssh-client     # the bastion's sshd, and the client that attacks it
    putty-tools                       # PuTTY's plink and puttygen: an admin client other than OpenSSH (HardenedSshdIT)
    nginx                             # the bastion's web front
    cloud-init                        # `cloud-init schema` checks the user-data
    shellcheck                        # every rendered script
    rsyslog                           # `rsyslogd -N1` checks the log-forwarding config
    rsyslog-gnutls                    # LogForwardingIT: rsyslog to rsyslog over TLS
    fail2ban                          # `fail2ban-client -t` checks the jail
    apt-utils                         # `apt-config` checks the unattended-upgrades config
    nftables                          # `nft -c` checks the bastion's firewall rules
    autossh                           # ci/bench.sh footprint: the autossh anchor (RSS, CPU) beside lifeline
    dnsmasq-base                      # a real resolver for the DNS probe and dns-asn ISP lookup tests
    curl openssl python3 procps iproute2
    libssl3                           # libcrypto.so.3: chacha20-poly1305 on OpenSSL (LibcryptoChaCha20Poly1305*, the .deb's Depends)
    python3-venv                      # the venv moto (the EC2 emulator) lives in
    systemd                           # `systemd-analyze verify` checks the packaged unit (installing it starts nothing in a container)
    systemd-container                 # systemd-nspawn boots this machine's Debian to run the sandboxed unit (ServiceUnitSandboxIT)
    chromium                          # the status page, drawn headless
    debootstrap                       # the booted bastion: a Debian 12 root file system, booted with systemd-nspawn (ci/bastion-boot.sh)
    prometheus prometheus-alertmanager  # promtool and amtool check the metrics, alert rules and example configs (their services stay stopped)
    testssl.sh                        # TlsScanIT: the TLS nginx offers, as testssl.sh sees it
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "ci/test.sh: missing packages: ${missing[*]}; run as root (or install them) and try again" >&2
        exit 2
    fi
    echo "ci/test.sh: installing ${missing[*]}"
    # Installing a daemon must not start it on this machine: the tests start their own copies.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    rm -f /usr/sbin/policy-rc.d
    trap - EXIT
fi

# The real-sshd tests log in as these users; sshd only admits users that exist on the machine.
# (test fixtures: names match dev.lifeline.templates.testing.TestUsers)
ensure_user() { # name shell
    id "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "ci/test.sh: user $1 is missing and only root can add it" >&2
        exit 2
    fi
    if [ "$2" = /bin/bash ]; then useradd --create-home --shell "$2" "$1"; else useradd --no-create-home --shell "$2" "$1"; fi
}
ensure_user lifeline-it-admin /bin/bash
ensure_user lifeline-it-t1 /usr/sbin/nologin
ensure_user lifeline-it-t2 /usr/sbin/nologin
mkdir -p /run/sshd && chmod 0755 /run/sshd

# moto, the EC2 emulator the cloud-control tests start (`moto_server`), pinned, in its own venv so the system
# Python stays Debian's. Only a missing or different version installs anything.
moto_version=5.2.5
venv=/opt/lifeline-ci/venv
if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('moto') != '$moto_version')" 2>/dev/null \
        || [ ! -x "$venv/bin/moto_server" ]; then
    echo "ci/test.sh: installing moto[server]==$moto_version into $venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "moto[server]==$moto_version"
fi
# ssh-audit, which SshAuditIT runs against the rendered sshd_config; pinned in the same venv.
ssh_audit_version=3.9.0
if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('ssh-audit') != '$ssh_audit_version')" 2>/dev/null \
        || [ ! -x "$venv/bin/ssh-audit" ]; then
    echo "ci/test.sh: installing ssh-audit==$ssh_audit_version into $venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "ssh-audit==$ssh_audit_version"
fi
# iam-simulate, AWS IAM policy evaluation on AWS's service authorization data (SupervisorPolicySimulationIT asks it what
# the stack's supervisor policy allows), pinned with its lock in ci/iam-simulate; a test tool, never shipped. Only a
# missing or different lock installs anything.
iam_simulate=/opt/lifeline-ci/iam-simulate
if ! cmp -s ci/iam-simulate/package-lock.json "$iam_simulate/package-lock.json" \
        || [ ! -f "$iam_simulate/node_modules/@cloud-copilot/iam-simulate/package.json" ]; then
    echo "ci/test.sh: installing iam-simulate (ci/iam-simulate/package-lock.json) into $iam_simulate"
    if ! command -v npm >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
    fi
    mkdir -p "$iam_simulate"
    cp ci/iam-simulate/package.json ci/iam-simulate/package-lock.json "$iam_simulate/"
    (cd "$iam_simulate" && npm ci --no-audit --no-fund --silent)
fi
export PATH="$venv/bin:$PATH"

export CI="${CI:-}"

# --- the runs: each phase is timed and its outcome kept, so the summary can say everything at the end ----------------
# A failing phase does not stop the next: a red Maven run still shows what the demo and the lab make of the jar.
out=target/ci
rm -rf "$out" && mkdir -p "$out"
echo "install 0 $SECONDS" > "$out/phases"   # installing what the tests need (0 s when all is there)
status=0
phase() { # name command...: runs it, its output to the terminal and to $out/NAME.log; records seconds and exit code
    local name=$1; shift
    local t0=$SECONDS rc=0
    "$@" 2>&1 | tee "$out/$name.log" || rc=$?
    echo "$name $rc $(( SECONDS - t0 ))" >> "$out/phases"
    [ "$rc" -eq 0 ] || status=1
}

# --- Docker for the LocalStack EC2 scenarios (issue 20; see ci/docker.sh) ---
trap 'ci/docker.sh stop' EXIT            # stopped by PID even when something below fails
phase docker ci/docker.sh start          # a dockerd of our own + the LocalStack image (built once per machine)
if [ -f /run/lifeline-ci/docker.env ]; then
    # written by ci/docker.sh start: DOCKER_HOST, Testcontainers' settings, the image's name
    set -a
    # shellcheck source=/dev/null
    . /run/lifeline-ci/docker.env
    set +a
fi
# ---

# -fae: every module's tests run even when one fails (a module that depends on a failed one is skipped, and says so)
phase maven mvn -B -ntp -fae verify

# --- Docker: stop it and check that nothing is left; count the LocalStack scenarios ---
trap - EXIT
phase docker-stop ci/docker.sh stop
phase localstack ci/docker.sh report
# ---

if [ -f supervisor/target/lifeline.jar ]; then
    # The README's run command, exactly as a newcomer types it.
    phase demo ./lifeline demo
    # The two-ISP lab: the whole system on a namespaced network (about 9 minutes; needs root).
    phase lab ci/lab.sh
else
    echo "demo 1 0 (not run: the build made no lifeline.jar)" >> "$out/phases"
    echo "lab 1 0 (not run: the build made no lifeline.jar)" >> "$out/phases"
    status=1
fi

python3 ci/summary.py "$out" "$SECONDS" || status=1
exit "$status"
