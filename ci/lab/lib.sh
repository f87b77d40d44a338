# The two-ISP lab's shared part (sourced by ci/lab.sh): names and addresses, teardown, helpers, the network,
# the services, the booted bastion, the supervisor, the baseline every scenario starts from, and the results.
# Functions and settings only: ci/lab.sh runs them. Expects REPO, JAR and VENV set.
# shellcheck shell=bash
# shellcheck disable=SC2034 # settings read by the scenario files

# --- names, addresses, timings ----------------------------------------------------------------------------------
NS_HOME=llab-home NS_ISP1=llab-isp1 NS_ISP2=llab-isp2 NS_NET=llab-net
ALL_NS=("$NS_HOME" "$NS_ISP1" "$NS_ISP2" "$NS_NET")
HOME_P=198.18.1.2 ISP1_GW=198.18.1.1     # the primary line
HOME_B=198.18.2.2 HOME_B2=198.18.2.3 ISP2_GW=198.18.2.1   # the backup line (two addresses: one per tunnel)
MOTO=198.19.0.10 TWILIO=198.19.0.11 IDENT=198.19.0.12 BASTION=198.19.0.20
SSH_PORT=47022
HOME_SSH_PORT=2222 SSH_TUNNEL_PORT=22022   # scenario 8: the home's sshd, and the bastion port its tunnel holds
HOME_DARK_AFTER=60 HEARTBEAT_EVERY=2      # scenario 9: the stack's homeDarkAfter (its minimum), the heartbeat's period
BOOT_DELAY=${LAB_BOOT_DELAY:-3}          # seconds the "VM" takes from running to sshd + nginx up
INTERVAL=1 TIMEOUT=1 DOWN=3 UP=3          # links.primary
HOLD=20 MIN_ON=20                         # policy
S5_SECONDS=${LAB_S5_SECONDS:-40} S5_PACE=${LAB_S5_PACE:-0.2}   # scenario 5's request stream
LAB=/run/lifeline-lab                    # root-owned all the way up: the supervisor's keys and config
BOOT=$REPO/ci/bastion-boot.sh
BOOT_RUN=/var/tmp/lifeline-lab-boot      # the booted bastion's run (its overlay is on disk, not in /run's RAM)
PIDS=$LAB/pids
LOGS=$LAB/logs
T_START=$(date +%s.%N)

# --- teardown: always, by PID and by name of what we made ---------------------------------------------------------
cleanup() {
    local rc=$?
    set +e
    touch "$LAB/supervisor.stop" 2>/dev/null
    [ -n "${PAUSE_PID:-}" ] && kill "$PAUSE_PID" 2>/dev/null
    if [ -f "$PIDS" ]; then
        # newest first: children (sshd, nginx, java) before the loops and controllers that started them
        for pid in $(tac "$PIDS"); do kill -TERM "$pid" 2>/dev/null; done
        sleep 1
        for pid in $(tac "$PIDS"); do kill -KILL "$pid" 2>/dev/null; done
    fi
    [ -d "$BOOT_RUN" ] && "$BOOT" stop "$BOOT_RUN" > /dev/null   # the machine, its network and proxy, by PID
    for ns in "${ALL_NS[@]}"; do
        # anything still running in a lab namespace was started by this script
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
        ip netns del "$ns" 2>/dev/null
    done
    if [ "${LAB_KEEP:-}" = "" ]; then rm -rf "$LAB"; fi
    exit "$rc"
}


# --- helpers ------------------------------------------------------------------------------------------------------
now() { date +%s.%N; }
# A sleep that a signal interrupts at once (bash runs traps only between foreground commands): Ctrl-C or a
# CI timeout tears the lab down now, not after a 60 s pause.
PAUSE_PID=""
pause() { sleep "$1" & PAUSE_PID=$!; wait "$PAUSE_PID"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
tl() { printf '  [%6.1fs] %s\n' "$(awk -v a="$T_START" -v b="$(now)" 'BEGIN { print b - a }')" "$*" | tee -a "$LAB/timeline"; }
inns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
bg() { # name ns command... : started in the background, PID recorded
    local name=$1 ns=$2; shift 2
    ip netns exec "$ns" "$@" > "$LOGS/$name.log" 2>&1 &
    echo $! >> "$PIDS"
    disown $!   # stopped by PID in cleanup; no "Killed" job notices
}
# wait_for SECONDS COMMAND...: polls every 0.2 s; prints the seconds it took; fails after SECONDS.
wait_for() {
    local limit=$1; shift
    local t0; t0=$(now)
    local tries=$(( limit * 5 ))
    while [ "$tries" -gt 0 ]; do
        if "$@" >/dev/null 2>&1; then since "$t0"; return 0; fi
        sleep 0.2
        tries=$((tries - 1))
    done
    echo "timeout"
    return 1
}
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

actions() { grep -c "\"$1\"" "$LAB/ec2-actions.log" 2>/dev/null || true; }
sms_count() { { wc -l < "$LAB/sms.log"; } 2>/dev/null || echo 0; }
sms_since() { tail -n +"$(( $1 + 1 ))" "$LAB/sms.log" 2>/dev/null || true; }
# seconds from T0 to the first line after OFFSET in FILE matching REGEX, by the time the stub recorded it
first_at() { # file offset regex t0
    tail -n +"$(( $2 + 1 ))" "$1" 2>/dev/null | grep -iE "$3" | head -n 1 \
        | python3 -c 'import json,sys; l=sys.stdin.readline(); print("%.1f" % (json.loads(l)["t"] - float(sys.argv[1])) if l else "-")' "$4"
}
sms_has() { sms_since "$1" | grep -qiE "$2"; }
# the bastion's own SMS (login alert), sent over TLS to api.twilio.com: a stub of their own, a log of their own
bastion_sms_count() { { wc -l < "$LAB/bastion-sms.log"; } 2>/dev/null || echo 0; }
bastion_sms_has() { tail -n +"$(( $1 + 1 ))" "$LAB/bastion-sms.log" 2>/dev/null | grep -qiE "$2"; }
# the dead-man's switch's pings at the heartbeat stub
heartbeat_count() { { wc -l < "$LAB/heartbeat.log"; } 2>/dev/null || echo 0; }
inbastion() { ip netns exec "$BASTION_NS" "$@"; }   # the booted machine's network namespace
listening() { inbastion ss -Hltn "src 127.0.0.1:$1" | grep -q .; }
both_tunnels() { listening 29000 && listening 39000; }
tunnel1_gone() { ! listening 29000; }
web_ok() { inns "$NS_NET" curl -skf --max-time 5 "https://$BASTION/" | grep -q "hello from home"; }
declared_down() { grep -q "primary line DOWN" "$LOGS/supervisor.log"; }

# --- the network --------------------------------------------------------------------------------------------------
build_network() {
    for ns in "${ALL_NS[@]}"; do
        ip netns add "$ns"
        inns "$ns" ip link set lo up
        inns "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
    done
    veth() { # nsA ifA addrA nsB ifB addrB
        ip link add "$2" netns "$1" type veth peer name "$5" netns "$4"
        inns "$1" ip addr add "$3/24" dev "$2"; inns "$1" ip link set "$2" up
        inns "$4" ip addr add "$6/24" dev "$5"; inns "$4" ip link set "$5" up
    }
    veth "$NS_HOME" h1 "$HOME_P" "$NS_ISP1" i1h "$ISP1_GW"
    veth "$NS_HOME" h2 "$HOME_B" "$NS_ISP2" i2h "$ISP2_GW"
    inns "$NS_HOME" ip addr add "$HOME_B2/24" dev h2
    veth "$NS_ISP1" i1n 198.18.11.1 "$NS_NET" n1 198.18.11.2
    veth "$NS_ISP2" i2n 198.18.12.1 "$NS_NET" n2 198.18.12.2
    # home: each line by source address (policy routing); everything unbound leaves by the backup line, as a router
    # that has failed over would send it (the cloud API and Twilio stay reachable during a primary outage)
    inns "$NS_HOME" ip route add default via "$ISP1_GW" dev h1 table 101
    inns "$NS_HOME" ip route add default via "$ISP2_GW" dev h2 table 102
    inns "$NS_HOME" ip rule add from "$HOME_P" table 101 priority 100
    inns "$NS_HOME" ip rule add from "$HOME_B" table 102 priority 101
    inns "$NS_HOME" ip rule add from "$HOME_B2" table 102 priority 102
    inns "$NS_HOME" ip route add default via "$ISP2_GW" dev h2
    for ns in "$NS_ISP1" "$NS_ISP2"; do inns "$ns" sysctl -qw net.ipv4.ip_forward=1; done
    inns "$NS_ISP1" ip route add 198.19.0.0/24 via 198.18.11.2
    inns "$NS_ISP2" ip route add 198.19.0.0/24 via 198.18.12.2
    for a in "$MOTO" "$TWILIO" "$IDENT"; do inns "$NS_NET" ip addr add "$a/32" dev lo; done
    inns "$NS_NET" sysctl -qw net.ipv4.ip_forward=1   # between the lines and the bastion's veth
    inns "$NS_NET" ip route add 198.18.1.0/24 via 198.18.11.1
    inns "$NS_NET" ip route add 198.18.2.0/24 via 198.18.12.1
    # the backup line's emulator where the kernel has no sch_netem: packets toward home that a policy rule sends into
    # em0 come back out of it delayed and paced; they may carry isp2's own address (its resolver's answers)
    if inns "$NS_ISP2" tc qdisc add dev i2n root netem delay 1ms 2>/dev/null; then
        inns "$NS_ISP2" tc qdisc del dev i2n root
        LINKEM=""
    else
        LINKEM=em0
        inns "$NS_ISP2" ip tuntap add dev em0 mode tun
        inns "$NS_ISP2" ip link set em0 up
        inns "$NS_ISP2" sysctl -qw net.ipv4.conf.em0.accept_local=1 net.ipv4.conf.em0.rp_filter=0
        inns "$NS_ISP2" ip route add default dev em0 table 200
    fi
    # the backup line's flow filter (scenario 5): an empty table now, a rule later
    inns "$NS_ISP2" nft add table inet lab
    inns "$NS_ISP2" nft add chain inet lab relay '{ type filter hook forward priority 0; policy accept; }'
}

DNSMASQ=(--keep-in-foreground --conf-file=/dev/null --bind-interfaces --no-resolv --no-hosts --no-poll --pid-file=
         --user=root --cache-size=0 --address=/lab.test/198.19.0.1 --log-facility=-)
start_services() {
    bg dnsmasq-isp1 "$NS_ISP1" /usr/sbin/dnsmasq "${DNSMASQ[@]}" --listen-address="$ISP1_GW"
    bg dnsmasq-isp2 "$NS_ISP2" /usr/sbin/dnsmasq "${DNSMASQ[@]}" --listen-address="$ISP2_GW"
    [ -z "$LINKEM" ] || bg linkem "$NS_ISP2" python3 "$REPO/ci/lab/labnet.py" linkem "$LINKEM" 150 5000000 0
    bg moto "$NS_NET" env AWS_ACCESS_KEY_ID=lab AWS_SECRET_ACCESS_KEY=lab "$VENV/moto_server" -H "$MOTO" -p 5001
    bg ec2proxy "$NS_NET" python3 "$REPO/ci/lab/labnet.py" ec2proxy "$MOTO" 5000 "http://$MOTO:5001" "$LAB/ec2-actions.log"
    bg twilio "$NS_NET" python3 "$REPO/ci/lab/labnet.py" twilio "$TWILIO" 8080 "$LAB/sms.log" "$LAB/twilio.fail"
    bg identity "$NS_NET" python3 "$REPO/ci/lab/labnet.py" identity "$IDENT" 80 "$LAB/isp.wrong"
    bg twilio-bastion "$NS_NET" python3 "$REPO/ci/lab/labnet.py" twilio "$TWILIO" 443 "$LAB/bastion-sms.log" \
        "$LAB/twilio-bastion.fail" "$LAB/tls/api.twilio.com.crt" "$LAB/tls/api.twilio.com.key"
    bg heartbeat "$NS_NET" python3 "$REPO/ci/lab/labnet.py" heartbeat "$IDENT" 8443 "$LAB/heartbeat.log" \
        "$LAB/tls/heartbeat.crt" "$LAB/tls/heartbeat.key"
    bg home-web "$NS_HOME" python3 "$REPO/ci/lab/labnet.py" home 127.0.0.1 8080
    home_sshd
    wait_for 30 inns "$NS_NET" curl -sf -o /dev/null -X POST "http://$MOTO:5001/moto-api/reset" >/dev/null \
        || { echo "moto did not start:"; cat "$LOGS/moto.log"; return 1; }
    export AWS_ACCESS_KEY_ID=lab AWS_SECRET_ACCESS_KEY=lab AWS_DEFAULT_REGION=eu-central-1
    IID=$(inns "$NS_NET" "$VENV/python" "$REPO/ci/lab/labnet.py" ec2 "http://$MOTO:5001" create)
    : > "$LAB/ec2-actions.log"; : > "$LAB/sms.log"; : > "$LAB/bastion-sms.log"; : > "$LAB/heartbeat.log"
}

# The home's own SSH server (Debian's sshd) on 127.0.0.1:$HOME_SSH_PORT in the home namespace, admitting the admin's
# key for lifeline-it-admin (a user ci/test.sh makes; its password is locked, which sshd accepts only through PAM, as
# Debian runs it); its host key is what `lifeline ssh-config` pins for it.
home_sshd() {
    local d=$LAB/home-sshd
    mkdir -p "$d"
    ssh-keygen -q -t ed25519 -N '' -C home-sshd -f "$d/ssh_host_ed25519_key"
    cp "$LAB/keys/admin.pub" "$d/authorized_keys"; chmod 0644 "$d/authorized_keys"
    printf '%s\n' "ListenAddress 127.0.0.1:$HOME_SSH_PORT" "HostKey $d/ssh_host_ed25519_key" "PidFile none" \
        "AuthorizedKeysFile $d/authorized_keys" "PasswordAuthentication no" "KbdInteractiveAuthentication no" \
        "UsePAM yes" "AllowUsers lifeline-it-admin" > "$d/sshd_config"
    mkdir -p /run/sshd
    bg home-sshd "$NS_HOME" /usr/sbin/sshd -D -e -f "$d/sshd_config"
}

# --- the bastion: the user-data of a lab stack, booted on Debian 12 ------------------------------------------------
build_bastion() {
    local keys=$LAB/keys
    mkdir -p "$keys"
    java -jar "$JAR" keygen --host --out "$keys" > /dev/null
    java -jar "$JAR" keygen --tunnel lifeline-it-t1 --index 0 --port 29000 --out "$keys" > /dev/null
    java -jar "$JAR" keygen --tunnel lifeline-it-t2 --index 1 --port 39000 --out "$keys" > /dev/null
    java -jar "$JAR" keygen --tunnel homessh --index 2 --port "$SSH_TUNNEL_PORT" --out "$keys" > /dev/null
    ssh-keygen -q -t ed25519 -N '' -C lab-admin -f "$keys/admin"
    printf '0123456789abcdef0123456789abcdef' > "$LAB/twilio-token"; chmod 0600 "$LAB/twilio-token"   # Twilio's form: 32 hex digits
    # The bastion's login SMS go to api.twilio.com over TLS: a lab CA the machine trusts, a certificate for that name
    # (bastion_up points the name at the stub).
    local tls=$LAB/tls
    mkdir -p "$tls"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=lifeline-lab-ca \
        -keyout "$tls/ca.key" -out "$tls/ca.crt" 2> /dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=api.twilio.com \
        -keyout "$tls/api.twilio.com.key" -out "$tls/api.twilio.com.csr" 2> /dev/null
    openssl x509 -req -in "$tls/api.twilio.com.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 2 \
        -extfile <(echo "subjectAltName=DNS:api.twilio.com") -out "$tls/api.twilio.com.crt" 2> /dev/null
    # the heartbeat endpoint (https, as the supervisor insists), by address; the supervisor's JVM trusts the lab CA
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$IDENT" \
        -keyout "$tls/heartbeat.key" -out "$tls/heartbeat.csr" 2> /dev/null
    openssl x509 -req -in "$tls/heartbeat.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 2 \
        -extfile <(echo "subjectAltName=IP:$IDENT") -out "$tls/heartbeat.crt" 2> /dev/null
    keytool -importcert -noprompt -alias lifeline-lab-ca -file "$tls/ca.crt" -keystore "$tls/truststore.p12" \
        -storetype PKCS12 -storepass lifeline-lab > /dev/null 2>&1
    {
        echo "config:"
        echo "  lifeline:provider: aws"
        echo "  lifeline:sshPort: \"$SSH_PORT\""
        echo "  lifeline:adminKeys:"
        echo "    - $(cat "$keys/admin.pub")"
        echo "  lifeline:tunnels:"
        echo "    - { name: lifeline-it-t1, port: 29000, publicKey: \"$(cat "$keys/lifeline-it-t1.pub")\" }"
        echo "    - { name: lifeline-it-t2, port: 39000, publicKey: \"$(cat "$keys/lifeline-it-t2.pub")\" }"
        echo "    - { name: homessh, port: $SSH_TUNNEL_PORT, service: ssh, publicKey: \"$(cat "$keys/homessh.pub")\" }"
        echo "  lifeline:twilio: { accountSid: AC0123456789abcdef0123456789abcdef, from: \"+14155550100\", to: [\"+14155550122\"] }"
        echo "  lifeline:twilioAuthToken: { secure: \"v1:lab-twilio-token-given-to-render-decrypted\" }"
        echo "  lifeline:homeDarkAfter: ${HOME_DARK_AFTER}s"
        echo "  lifeline:web: {}"
        echo "  lifeline:clientAliveInterval: \"1\""
        echo "  lifeline:clientAliveCountMax: \"1\""
        # A secret, encrypted in the stack file as `pulumi config set --secret` leaves it; render is given its
        # decrypted value as the Pulumi engine gives it to the program (--secret).
        echo "  lifeline:hostKey: { secure: \"v1:lab-host-key-given-to-render-decrypted\" }"
    } > "$LAB/Pulumi.lab.yaml"
    java -jar "$JAR" render --stack "$LAB/Pulumi.lab.yaml" --secret "hostKey=$keys/bastion_host_key" \
        --secret "twilioAuthToken=$LAB/twilio-token" --out "$LAB/render" \
        > "$LOGS/render.log"
    HOSTKEY_LINE="[$BASTION]:$SSH_PORT $(cut -d' ' -f1,2 "$keys/bastion_host_key.pub")"
    # One booted machine at a time on this host (the harness's subnet is fixed): wait for another run to finish.
    mkdir -p "$BOOT_RUN"; chmod 0700 "$BOOT_RUN"
    local tries=120
    until "$BOOT" net-up "$BOOT_RUN" > "$LOGS/boot-net.log" 2>&1; do
        if ! grep -q "which still runs" "$LOGS/boot-net.log" || [ "$tries" -eq 0 ]; then cat "$LOGS/boot-net.log"; return 1; fi
        [ "$tries" = 120 ] && tl "another booted-bastion run holds the harness's subnet; waiting (≤ 10 min)"
        tries=$((tries - 1)); pause 5
    done
    # exactly the bytes EC2 hands cloud-init; booting overlaps with the services' start
    T_BOOT=$(now)
    "$BOOT" boot "$BOOT_RUN" bastion 0 "$LAB/render/user-data.ec2.gz" > "$LOGS/boot.log" 2>&1 &
    BOOT_PID=$!; echo "$BOOT_PID" >> "$PIDS"
}

# The machine up: cloud-init done, on the lab's network at $BASTION, its services stopped as moto's stopped instance
# says, the controller following moto from now on.
bastion_up() {
    wait "$BOOT_PID" || { tail -50 "$LOGS/boot.log"; return 1; }
    tl "bastion booted: cloud-init done $(since "$T_BOOT")s after the boot began ($(grep -o 'timing: boot-bastion .*' "$LOGS/boot.log"))"
    local result; result=$("$BOOT" exec "$BOOT_RUN" bastion cat /run/cloud-init/result.json)
    echo "$result" | python3 -c 'import json,sys; e=json.load(sys.stdin)["v1"]["errors"]; sys.exit(1 if e else 0)' \
        || { echo "cloud-init on the bastion ended with errors: $result"; return 1; }
    BASTION_NS=$(cat "$BOOT_RUN/machines/bastion/netns")
    "$BOOT" attach "$BOOT_RUN" bastion "$NS_NET" "$BASTION" 198.19.0.254 198.18.0.0/15
    # what the cloud gives for free: api.twilio.com reachable and trusted (here: the lab's stub and CA)
    "$BOOT" cp "$BOOT_RUN" bastion "$LAB/tls/ca.crt" /usr/local/share/ca-certificates/lifeline-lab-ca.crt
    "$BOOT" exec "$BOOT_RUN" bastion sh -c "update-ca-certificates > /dev/null 2>&1 && echo '$TWILIO api.twilio.com' >> /etc/hosts"
    local sys="$BOOT exec $BOOT_RUN bastion systemctl"
    # A stop takes the sessions with it as a powered-off VM does: every process of ssh.service and of the users' slices;
    # and, as a powered-off VM runs nothing and boots with an empty /run, the home watch and its state go too.
    local stop_cmd="$sys kill -s KILL ssh.service; $sys stop ssh.service nginx.service user.slice lifeline-home-watch.service lifeline-tunnel-watchdog.service; $BOOT exec $BOOT_RUN bastion rm -rf /run/lifeline-home-watch"
    sh -c "$stop_cmd" > "$LOGS/bastion-first-stop.log" 2>&1
    wait_for 20 bastion_down >/dev/null || { echo "sshd still listening on the bastion after the stop"; return 1; }
    bg controller "$NS_NET" "$VENV/python" "$REPO/ci/lab/labnet.py" controller "http://$MOTO:5001" "$IID" "$BOOT_DELAY" \
        "$sys start ssh.service nginx.service lifeline-home-watch.service lifeline-tunnel-watchdog.service" "$stop_cmd" "$LAB/bastion-events.log"
}

# --- the supervisor: the real jar, restarted by a loop standing in for systemd (Restart=always) --------------------
write_config() {
    cat > "$LAB/lifeline.yaml" <<EOF
bastion:
  provider: aws
  host: $BASTION
  port: $SSH_PORT
  hostKey: "$HOSTKEY_LINE"
  mode: on-outage
  aws: { region: eu-central-1, instanceId: $IID, endpoint: "http://$MOTO:5000" }
tunnels:
  - { name: primary, user: lifeline-it-t1, key: $LAB/keys/lifeline-it-t1, remote: "127.0.0.1:29000", local: "127.0.0.1:8080", bind: $HOME_B }
  - { name: secondary, user: lifeline-it-t2, key: $LAB/keys/lifeline-it-t2, remote: "127.0.0.1:39000", local: "127.0.0.1:8080", bind: $HOME_B2 }
  - { name: home, user: homessh, key: $LAB/keys/homessh, remote: "127.0.0.1:$SSH_TUNNEL_PORT", local: "127.0.0.1:$HOME_SSH_PORT", bind: $HOME_B, service: ssh }
ssh:
  keepaliveInterval: 1s
  keepaliveMaxMisses: 3
  connectTimeout: 5s
  authTimeout: 5s
  backoffInitial: 1s
  backoffMax: 4s
  healthyAfter: 5s
links:
  primary:
    bind: $HOME_P
    probes: [ "dns://$ISP1_GW/home.lab.test", "tcp://$IDENT:80" ]
    interval: ${INTERVAL}s
    timeout: ${TIMEOUT}s
    reliability: 1
    down: $DOWN
    up: $UP
  backup:
    bind: $HOME_B
    expectIsp: Lab Mobile
    ispLookup: "http://$IDENT/meta"
    speedUrls: [ "http://$IDENT/__down?bytes=25000000" ]
    latencyProbes: [ "dns://$ISP2_GW/home.lab.test" ]
    minDownload: 10Mbit
    maxLatency: 100ms
    every: 1m
    dataBudget: 2GB/day
    maxBytesPerCheck: 5MB
heartbeat: { url: "https://$IDENT:8443/ping/lab-site", every: ${HEARTBEAT_EVERY}s, timeout: 2s }
policy:
  recoveryHold: ${HOLD}s
  minOn: ${MIN_ON}s
stateDir: $LAB/state
alerts:
  twilio: { accountSid: AC0123456789abcdef0123456789abcdef, authTokenFile: $LAB/twilio-token, from: "+14155550100",
            to: ["+14155550111"], endpoint: "http://$TWILIO:8080" }
  ratePerHour: 100
EOF
    java -jar "$JAR" check-config "$LAB/lifeline.yaml" > "$LOGS/check-config.log" 2>&1 \
        || { cat "$LOGS/check-config.log"; return 1; }
    # scenario 8's laptop config, exactly as the admin would paste it
    java -jar "$JAR" ssh-config --config "$LAB/lifeline.yaml" --user lifeline-it-admin --identity "$LAB/keys/admin" \
        --host-keys "$LAB/home-sshd" > "$LAB/ssh_config" 2> "$LOGS/ssh-config.log" || { cat "$LOGS/ssh-config.log"; return 1; }
    ssh -G -F "$LAB/ssh_config" home > "$LOGS/ssh-config-G.log" 2>&1 \
        || { echo "ssh -G refused the generated config:"; cat "$LOGS/ssh-config-G.log"; return 1; }
}

supervisor_start() { # a fresh state directory: each scenario starts from a home that has seen nothing
    rm -rf "$LAB/state" "$LAB/supervisor.stop"; mkdir -p "$LAB/state"
    : > "$LOGS/supervisor.log"
    (
        n=0
        while [ ! -e "$LAB/supervisor.stop" ] && [ "$n" -lt 20 ]; do
            # the trust store: the lab's CA, standing in for the public CA a real heartbeat service has
            # the JVM flags the .deb's unit runs with (one argument file), so the lab's home is the shipped one
            ip netns exec "$NS_HOME" java "@$REPO/templates/src/main/resources/home/jvm.options" \
                -Djavax.net.ssl.trustStore="$LAB/tls/truststore.p12" -Djavax.net.ssl.trustStorePassword=lifeline-lab -jar "$JAR" run \
                --config "$LAB/lifeline.yaml" >> "$LOGS/supervisor.log" 2>&1 &
            echo $! > "$LAB/supervisor.pid"
            echo $! >> "$PIDS"
            wait $! || true
            n=$((n + 1))
            pause 1
        done
    ) 2>> "$LOGS/restart-loop.log" &   # the loop's own notices ("Killed" after kill -9) stay out of the timeline
    echo $! > "$LAB/supervisor-loop.pid"
    echo $! >> "$PIDS"
    wait_for 40 grep -q "lifeline supervisor running" "$LOGS/supervisor.log" >/dev/null
}

supervisor_stop() {
    [ -f "$LAB/supervisor-loop.pid" ] || return 0
    touch "$LAB/supervisor.stop"
    kill -TERM "$(cat "$LAB/supervisor.pid")" 2>/dev/null || true
    local loop; loop=$(cat "$LAB/supervisor-loop.pid")
    for _ in $(seq 1 50); do kill -0 "$loop" 2>/dev/null || break; pause 0.2; done
    kill -KILL "$(cat "$LAB/supervisor.pid")" "$loop" 2>/dev/null || true
    rm -f "$LAB/supervisor-loop.pid"
    cat "$LOGS/supervisor.log" >> "$LOGS/supervisor-all.log"
}

# Every scenario starts here: both lines clean, the bastion stopped (straight at moto, not counted), a fresh supervisor.
baseline() {
    supervisor_stop
    inns "$NS_ISP1" ip link set i1h up
    restore_backup
    inns "$NS_ISP2" nft flush chain inet lab relay
    rm -f "$LAB/twilio.fail" "$LAB/isp.wrong"
    inns "$NS_NET" "$VENV/python" "$REPO/ci/lab/labnet.py" ec2 "http://$MOTO:5001" stop "$IID"
    wait_for 20 bastion_down >/dev/null || FAILS+=("the bastion did not stop at the baseline (see bastion-events.log)")
    supervisor_start
    A_START=$(actions StartInstances); A_STOP=$(actions StopInstances); SMS0=$(sms_count)
    A_LINES=$(wc -l < "$LAB/ec2-actions.log")
    pause 2   # a few good rounds on the primary first
}
bastion_down() { ! inbastion ss -Hltn "sport = :$SSH_PORT" | grep -q .; }
starts() { echo $(( $(actions StartInstances) - A_START )); }
stops() { echo $(( $(actions StopInstances) - A_STOP )); }
has_started() { [ "$(starts)" -ge 1 ]; }
has_stopped() { [ "$(stops)" -ge 1 ]; }

# "refused-distinct lost duplicated delivered" for the SMS since the offsets: lost = refused by the stub, never delivered
sms_report() { # sms-offset refused-offset
    python3 - "$LAB/sms.log" "$1" "$LAB/sms.log.refused" "$2" <<'EOF'
import json, sys, collections
sent = [json.loads(l)["body"] for l in open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):]]
try:
    refused = {json.loads(l)["body"] for l in open(sys.argv[3]).read().splitlines()[int(sys.argv[4]):]}
except FileNotFoundError:
    refused = set()
c = collections.Counter(sent)
print(len(refused), len(refused - set(sent)), sum(v - 1 for v in c.values()), len(sent))
EOF
}
all_delivered() { local r lost; read -r r lost _ _ <<< "$(sms_report "$1" "$2")"; [ "$r" -ge 1 ] && [ "$lost" -eq 0 ]; }
refused_count() { { wc -l < "$LAB/sms.log.refused"; } 2>/dev/null || echo 0; }
refused_has() { tail -n +"$(( $1 + 1 ))" "$LAB/sms.log.refused" 2>/dev/null | grep -qiE "$2"; }   # offset regex

# --- results ------------------------------------------------------------------------------------------------------
RESULTS=()
result() { # n name expected measured ok
    RESULTS+=("$1|$2|$3|$4|$5")
    tl "scenario $1: $5 — $4"
}
verdict() { [ "${#FAILS[@]}" -eq 0 ] && echo PASS || echo "FAILED (${FAILS[*]})"; }
START_BOUND=$(( INTERVAL * DOWN + TIMEOUT ))

cut_primary() { inns "$NS_ISP1" ip link set i1h down; tl "primary cut (isp1: ip link set i1h down)"; }
restore_primary() { inns "$NS_ISP1" ip link set i1h up; tl "primary restored"; }

# Rate and delay on the backup line toward home, for every packet isp2 sends that way (forwarded or its resolver's
# own answers). Without sch_netem (Firecracker guests have none) the same figures come from linkem: two policy rules
# send those packets through em0.
degrade_backup() {
    if [ -z "$LINKEM" ]; then
        inns "$NS_ISP2" tc qdisc add dev i2h root netem delay 150ms rate 5mbit
        DEGRADED_BY="tc netem"
    else
        inns "$NS_ISP2" ip rule add iif i2n to 198.18.2.0/24 lookup 200 priority 50
        inns "$NS_ISP2" ip rule add iif lo to 198.18.2.0/24 lookup 200 priority 51
        DEGRADED_BY="labnet linkem on em0: this kernel has no sch_netem"
    fi
}
restore_backup() {
    inns "$NS_ISP2" tc qdisc del dev i2h root 2>/dev/null || true
    inns "$NS_ISP2" ip rule del priority 50 2>/dev/null || true
    inns "$NS_ISP2" ip rule del priority 51 2>/dev/null || true
}


# Outage in progress with the bastion serving: shared by scenarios 1, 2, 5.
OUTAGE_OPEN=0
