# Scenario 5 of the two-ISP lab (sourced by ci/lab.sh; helpers in ci/lab/lib.sh): the silent death of tunnel 1 under load.
# shellcheck shell=bash disable=SC2034,SC2153 # globals shared with lib.sh and the other scenarios

scenario_5() {
    FAILS=(); baseline
    cut_primary
    wait_for 60 both_tunnels >/dev/null || FAILS+=("tunnels not up")
    wait_for 30 web_ok >/dev/null || FAILS+=("no web before the cut")
    tl "tunnels up; client starts $S5_SECONDS s of requests (one every $S5_PACE s, 60 s timeout each)"
    inns "$NS_NET" "$VENV/python" "$REPO/ci/lab/labnet.py" client "https://$BASTION/" "$S5_SECONDS" "$S5_PACE" 60 "$LAB/client.json" &
    local client=$!; echo "$client" >> "$PIDS"
    pause 5
    inns "$NS_ISP2" nft add rule inet lab relay ip saddr "$HOME_B" tcp dport "$SSH_PORT" drop
    inns "$NS_ISP2" nft add rule inet lab relay ip daddr "$HOME_B" tcp sport "$SSH_PORT" drop
    local t0; t0=$(now)
    tl "primary tunnel's flow silently dropped at isp2 ($HOME_B ↔ $BASTION:$SSH_PORT)"
    # The bastion must let go of the dead tunnel while the requests keep coming: its tunnel watchdog hears nothing
    # through the tunnel's health port for 3.5 s and ends that sshd session; nginx then fails over to tunnel 2.
    # Allowed: 5 s (issue 17). The kernel's own give-up (tcp_retries2 = 7) would take about a minute.
    local freed
    if freed=$(wait_for 5 tunnel1_gone); then
        tl "the bastion freed the dead tunnel's port ${freed}s after the drop"
        tl "bastion journal: $("$BOOT" exec "$BOOT_RUN" bastion journalctl -u lifeline-tunnel-watchdog --no-pager -q -o cat 2>/dev/null | grep -m1 'ended its sshd session' || echo 'no watchdog line')"
    else
        FAILS+=("the bastion kept the dead tunnel's port > 5 s under load")
        wait_for 60 tunnel1_gone >/dev/null && tl "sshd freed the dead tunnel's port only $(since "$t0")s after the drop"
    fi
    wait "$client" || true
    local r; r=$(cat "$LAB/client.json" 2>/dev/null || echo '{}')
    tl "client: $r"
    local failed; failed=$(echo "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("failed", -1))')
    [ "$failed" = 0 ] || FAILS+=("$failed requests failed")
    web_ok || FAILS+=("no web after the switch")
    local slowest; slowest=$(echo "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("slowest", -1))')
    le "$slowest" 20 || FAILS+=("requests stalled up to ${slowest}s")
    result 5 "silent death of tunnel 1" "port freed ≤ 5s under load; 0 failed; slowest ≤ 20s" \
        "$(echo "$r" | tr -d '{}"'); port freed: ${freed}" "$(verdict)"
}
