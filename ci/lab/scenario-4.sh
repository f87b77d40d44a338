# Scenario 4 of the two-ISP lab (sourced by ci/lab.sh; helpers in ci/lab/lib.sh): the backup line degraded.
# shellcheck shell=bash disable=SC2034,SC2153 # globals shared with lib.sh and the other scenarios

scenario_4() {
    FAILS=(); baseline
    local t0 problem resolved body
    t0=$(now)
    degrade_backup
    touch "$LAB/isp.wrong"
    tl "backup degraded: 5 Mbit, +150 ms ($DEGRADED_BY), identity answers a wrong ISP"
    problem=$(wait_for 70 sms_has "$SMS0" "backup") || FAILS+=("no backup alert")
    problem=$(since "$t0")
    body=$(sms_since "$SMS0" | grep -i backup | head -n 1)
    tl "SMS: $(echo "$body" | cut -c1-200)"
    echo "$body" | grep -qi "latency" || FAILS+=("alert does not name the latency")
    echo "$body" | grep -qiE "speed" || FAILS+=("alert does not name the speed")
    echo "$body" | grep -qiE "isp|Wrong Roaming" || FAILS+=("alert does not name the ISP")
    restore_backup; rm -f "$LAB/isp.wrong"
    local SMS1; SMS1=$(sms_count); t0=$(now)
    tl "backup restored"
    resolved=$(wait_for 75 sms_has "$SMS1" "healthy again|resolved") || FAILS+=("no resolved SMS")
    resolved=$(since "$t0")
    pause 1
    local n_problem n_resolved
    n_problem=$(sms_since "$SMS0" | grep -ic "backup line:" || true)
    n_resolved=$(sms_since "$SMS0" | grep -icE "healthy again|resolved" || true)
    [ "$n_problem" -eq 1 ] || FAILS+=("$n_problem problem SMS")
    [ "$n_resolved" -eq 1 ] || FAILS+=("$n_resolved resolved SMS")
    local facts; facts=$(echo "$body" | sed -n 's/.*"body": "lifeline: backup line: \([^\\]*\)\\u2014.*SPEED \([0-9]*\) LATENCY \([0-9]*\).*/\1; \2 bit\/s, \3 ms/p')
    result 4 "backup degraded" "1 alert naming ISP+speed+latency at the first check (30s); 1 resolved at the next (60s)" \
        "alert ${problem}s x${n_problem} (${facts:-?}); resolved ${resolved}s x${n_resolved}" "$(verdict)"
}
