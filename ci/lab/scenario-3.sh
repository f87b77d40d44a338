# Scenario 3 of the two-ISP lab (sourced by ci/lab.sh; helpers in ci/lab/lib.sh): the primary line flapping.
# shellcheck shell=bash disable=SC2034,SC2153 # globals shared with lib.sh and the other scenarios

scenario_3() {
    FAILS=(); baseline
    for _ in 1 2 3 4 5 6; do
        inns "$NS_ISP1" ip link set i1h down; pause 10
        inns "$NS_ISP1" ip link set i1h up; pause 10
    done
    tl "primary flapped down/up every 10 s for 120 s"
    [ "$(starts)" -le 1 ] || FAILS+=("$(starts) starts")
    [ "$(stops)" -eq 0 ] || FAILS+=("$(stops) stops during flapping")
    result 3 "primary flapping" "≤ 1 StartInstances, 0 StopInstances in 120 s" "starts $(starts); stops $(stops)" "$(verdict)"
}
