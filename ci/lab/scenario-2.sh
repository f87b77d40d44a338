# Scenario 2 of the two-ISP lab (sourced by ci/lab.sh; helpers in ci/lab/lib.sh): the primary line back.
# shellcheck shell=bash disable=SC2034,SC2153 # globals shared with lib.sh and the other scenarios

scenario_2() {
    FAILS=()
    if [ "$OUTAGE_OPEN" -ne 1 ]; then
        tl "scenario 2 needs an outage: running scenario 1's steps first"
        scenario_1 >/dev/null; RESULTS=("${RESULTS[@]:0:${#RESULTS[@]}-1}"); FAILS=()
    fi
    local t0 stop sms bound=$(( UP * INTERVAL + HOLD + 5 + 5 + 5 ))
    A_STOP=$(actions StopInstances); SMS0=$(sms_count); A_LINES=$(wc -l < "$LAB/ec2-actions.log")
    restore_primary; t0=$(now)
    stop=$(wait_for 60 has_stopped) || FAILS+=("no StopInstances")
    stop=$(first_at "$LAB/ec2-actions.log" "$A_LINES" "StopInstances" "$t0")
    tl "StopInstances after ${stop}s"
    le "$stop" "$bound" || FAILS+=("stop after ${stop}s > ${bound}s")
    wait_for 30 sms_has "$SMS0" "back since .*; outage .*\([0-9]" >/dev/null || FAILS+=("no SMS with the outage's duration")
    pause 2
    local dur; dur=$(sms_since "$SMS0" | grep -oE 'outage [^(]*\([^)]*\)' | grep -oE '\([^)]*\)' | head -n 1)
    [ "$(stops)" -eq 1 ] || FAILS+=("StopInstances $(stops)x")
    tl "SMS: outage lasted $dur"
    OUTAGE_OPEN=0
    result 2 "primary back" "1 StopInstances ≤ up+hold+tick+poll = ${bound}s; SMS with duration" \
        "stop ${stop}s; stops $(stops); SMS says outage ${dur:-?}" "$(verdict)"
}
