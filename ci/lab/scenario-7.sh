# Scenario 7 of the two-ISP lab (sourced by ci/lab.sh; helpers in ci/lab/lib.sh): Twilio answering 500 for 60 s.
# shellcheck shell=bash disable=SC2034,SC2153 # globals shared with lib.sh and the other scenarios

scenario_7() {
    FAILS=(); baseline
    touch "$LAB/twilio.fail"
    local R0; R0=$(refused_count)
    cut_primary; local t0; t0=$(now)
    tl "Twilio stub answers 500 for 60 s"
    pause 60
    rm -f "$LAB/twilio.fail"; tl "Twilio stub answers 201 again"
    wait_for 90 sms_has "$SMS0" "bastion .* running" >/dev/null || FAILS+=("bastion-started SMS never arrived")
    wait_for 60 all_delivered "$SMS0" "$R0" >/dev/null || FAILS+=("refused SMS not all delivered")
    local all; all=$(tail -n +"$(( SMS0 + 1 ))" "$LAB/sms.log" | tail -n 1 | python3 -c 'import json,sys; print("%.1f" % (json.loads(sys.stdin.readline())["t"] - float(sys.argv[1])))' "$t0" 2>/dev/null || echo -)
    pause 3
    local report; report=$(sms_report "$SMS0" "$R0")
    read -r refused lost dups delivered <<< "$report"
    [ "$refused" -ge 1 ] || FAILS+=("the stub refused nothing")
    [ "$lost" -eq 0 ] || FAILS+=("$lost refused SMS never delivered")
    [ "$dups" -eq 0 ] || FAILS+=("$dups duplicated")
    result 7 "Twilio 500 for 60 s" "every refused SMS delivered after, none twice" \
        "refused $refused distinct; delivered $delivered; lost $lost; dups $dups; last SMS at ${all}s (stub ok from 60s)" "$(verdict)"
}
