# Scenario 1 of the two-ISP lab (sourced by ci/lab.sh; helpers in ci/lab/lib.sh): the primary line cut.
# shellcheck shell=bash disable=SC2034,SC2153 # globals shared with lib.sh and the other scenarios

scenario_1() {
    FAILS=(); baseline
    local t0 declared web sms st
    cut_primary; t0=$(now)
    declared=$(wait_for 15 declared_down) || FAILS+=("no outage declared")
    declared=$(since "$t0")
    tl "outage declared after ${declared}s"
    le "$declared" "$(( START_BOUND ))".5 || FAILS+=("declared after ${declared}s > ${START_BOUND}s")
    wait_for 20 has_started >/dev/null || FAILS+=("no StartInstances")
    wait_for 60 both_tunnels >/dev/null || FAILS+=("tunnels not up")
    tl "both tunnels listening on the bastion after $(since "$t0")s"
    local via; via=$(inns "$NS_HOME" ss -Htn state established "dst $BASTION:$SSH_PORT" | awk '{print $3}' \
        | sed 's/^\[::ffff:\(.*\)\]:.*/\1/; s/:[0-9]*$//' | sort -u | tr '\n' ' ')   # the addresses, not how many tunnels
    case "$via" in "$HOME_B $HOME_B2 ") ;; *) FAILS+=("tunnels not from the isp2 addresses ($via)");; esac
    web=$(wait_for 30 web_ok) || FAILS+=("no web through the bastion")
    web=$(since "$t0")
    tl "client in net reached the home service through the bastion after ${web}s"
    wait_for 40 sms_has "$SMS0" "bastion .* running" >/dev/null || FAILS+=("no SMS naming the bastion start")
    sms_has "$SMS0" "primary line DOWN" || FAILS+=("no outage SMS")
    sms=$(first_at "$LAB/sms.log" "$SMS0" "bastion .* running" "$t0")
    st=$(first_at "$LAB/ec2-actions.log" "$A_LINES" "StartInstances" "$t0")
    pause 2
    [ "$(starts)" -eq 1 ] || FAILS+=("StartInstances $(starts)x")
    OUTAGE_OPEN=1
    result 1 "primary cut" "declared ≤ ${START_BOUND}s (+0.5s poll); 1 StartInstances; tunnels via isp2; web; SMS" \
        "declared ${declared}s; StartInstances x$(starts) at ${st}s; tunnels from ${via}; web ${web}s; SMS ${sms}s" "$(verdict)"
}
