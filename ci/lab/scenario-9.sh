# Scenario 9 of the two-ISP lab (sourced by ci/lab.sh; helpers in ci/lab/lib.sh): the whole house goes dark during an
# outage. With the bastion up and serving, the backup line is cut too: nothing from home can say so. The bastion's
# home watch sends its own SMS after homeDarkAfter; the dead-man's switch stops pinging its endpoint (whose service
# would alert); when the backup line returns the tunnels come back, the bastion says so, the supervisor's alerts held
# in its outbox go out, and the pings resume.
# shellcheck shell=bash disable=SC2034,SC2153 # globals shared with lib.sh and the other scenarios

outbox_pending() { find "$LAB/state/outbox" -name '*.json' 2>/dev/null | wc -l; }
tunnels_gone() { ! listening 29000 && ! listening 39000 && ! listening "$SSH_TUNNEL_PORT"; }
# pings logged at the stub between two epoch times
pings_between() { python3 -c 'import json,sys
a, b = float(sys.argv[2]), float(sys.argv[3])
print(sum(1 for l in open(sys.argv[1]) if a <= json.loads(l)["t"] < b))' "$LAB/heartbeat.log" "$1" "$2"; }
fail_pings_since() { tail -n +"$(( $1 + 1 ))" "$LAB/heartbeat.log" | grep -c '"path": "/ping/lab-site/fail"' || true; }

scenario_9() {
    FAILS=(); baseline
    local B0 H0 t_cut dark_sms back_sms quiet pending delivered t_back
    B0=$(bastion_sms_count); H0=$(heartbeat_count)
    cut_primary
    wait_for 60 both_tunnels >/dev/null || FAILS+=("tunnels not up")
    wait_for 20 sh -c "[ \$(tail -n +$(( H0 + 1 )) '$LAB/heartbeat.log' | grep -c '/fail') -ge 1 ]" >/dev/null \
        || FAILS+=("no /fail ping while the outage is open")
    tl "outage served through the bastion; the heartbeat says /fail"

    local S1; S1=$(sms_count)
    inns "$NS_ISP2" ip link set i2h down; t_cut=$(now)
    tl "backup line cut too (isp2: ip link set i2h down): the house is dark"
    wait_for 60 tunnels_gone >/dev/null || FAILS+=("the tunnels' ports still held on the bastion 60 s after the cut")
    tl "every tunnel gone on the bastion after $(since "$t_cut")s"
    if wait_for $(( HOME_DARK_AFTER + 60 )) bastion_sms_has "$B0" "home dark at" >/dev/null; then
        dark_sms=$(first_at "$LAB/bastion-sms.log" "$B0" "home dark at" "$t_cut")
        tl "the bastion's own SMS: $(tail -n +"$(( B0 + 1 ))" "$LAB/bastion-sms.log" | grep -m 1 'home dark' | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["body"])')"
    else
        dark_sms=-; FAILS+=("no home-dark SMS from the bastion within homeDarkAfter + 60 s")
    fi
    # the switch: in flight at the cut aside (one period + its timeout), nothing reaches the stub while the house is dark
    quiet=$(pings_between "$(awk -v a="$t_cut" -v p="$HEARTBEAT_EVERY" 'BEGIN { printf "%.3f", a + p + 3 }')" "$(now)")
    [ "$quiet" -eq 0 ] || FAILS+=("$quiet heartbeat pings arrived while both lines were cut")
    pending=$(outbox_pending)
    tl "while dark: $quiet heartbeat pings, $pending alerts held in the supervisor's outbox"

    local H1; H1=$(heartbeat_count)
    inns "$NS_ISP2" ip link set i2h up; t_back=$(now)
    tl "backup line back"
    if wait_for 90 bastion_sms_has "$B0" "home back at" >/dev/null; then
        back_sms=$(first_at "$LAB/bastion-sms.log" "$B0" "home back at" "$t_back")
    else
        back_sms=-; FAILS+=("no home-back SMS from the bastion")
    fi
    wait_for 60 sh -c "[ \$(find '$LAB/state/outbox' -name '*.json' | wc -l) -eq 0 ]" >/dev/null \
        || FAILS+=("the outbox still holds $(outbox_pending) alerts after the line came back")
    delivered=$(( $(sms_count) - S1 ))
    [ "$pending" -ge 1 ] || FAILS+=("no alert was held while dark (nothing to catch up)")
    [ "$delivered" -ge "$pending" ] || FAILS+=("$pending held, $delivered delivered")
    wait_for 20 sh -c "[ \$(wc -l < '$LAB/heartbeat.log') -gt $H1 ]" >/dev/null || FAILS+=("the heartbeat did not resume")
    local resumed; resumed=$(first_at "$LAB/heartbeat.log" "$H1" "ping" "$t_back")
    [ "$(bastion_sms_count)" -le $(( B0 + 2 )) ] || FAILS+=("the bastion sent $(( $(bastion_sms_count) - B0 )) SMS, expected 2")
    OUTAGE_OPEN=1
    result 9 "both lines cut in an outage" "bastion's dark SMS ≈ homeDarkAfter (${HOME_DARK_AFTER}s) after the cut; no pings while dark; back SMS, held alerts and pings after" \
        "dark SMS ${dark_sms}s after the cut; pings while dark $quiet; back SMS ${back_sms}s, $pending held alerts delivered ($delivered SMS), pings again ${resumed}s after the line returned" "$(verdict)"
}
