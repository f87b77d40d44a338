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
    # The bastion must let go of the dead tunnel while the requests keep coming: the kernel gives up the unacknowledged
    # connection (tcp_retries2 = 4, about 6 s) and sshd closes the tunnel; nginx then fails over to tunnel 2.
    # Allowed: 15 s.
    local freed
    if freed=$(wait_for 15 tunnel1_gone); then
        tl "sshd freed the dead tunnel's port ${freed}s after the drop"
    else
        FAILS+=("sshd kept the dead tunnel's port > 15 s under load")
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
    result 5 "silent death of tunnel 1" "port freed ≤ 15s under load; 0 failed; slowest ≤ 20s" \
        "$(echo "$r" | tr -d '{}"'); port freed: ${freed}" "$(verdict)"
}
