# Scenario 8 of the two-ISP lab (sourced by ci/lab.sh; helpers in ci/lab/lib.sh): away from home. During an outage
# the admin, somewhere on the internet (the net namespace), runs `ssh -F <what lifeline ssh-config printed> home`:
# through the started bastion and the home's ssh tunnel to the home's real sshd, no prompt, every host key pinned.
# shellcheck shell=bash disable=SC2034,SC2153 # globals shared with lib.sh and the other scenarios

# ssh as the admin's laptop runs it: the generated config verbatim, no agent, no prompt
laptop_ssh() { # config host command...
    local config=$1 host=$2; shift 2
    inns "$NS_NET" ssh -F "$config" -o BatchMode=yes -o ConnectTimeout=10 "$host" "$@"
}

scenario_8() {
    FAILS=(); baseline
    local B0 t0 up took sms
    B0=$(bastion_sms_count)
    cut_primary; t0=$(now)
    wait_for 60 listening "$SSH_TUNNEL_PORT" >/dev/null || FAILS+=("the home's ssh tunnel never listened on the bastion")
    up=$(since "$t0")
    tl "the home's ssh tunnel listens on the bastion after ${up}s"

    local t1; t1=$(now)
    # shellcheck disable=SC2016 # expanded by the home's shell
    if laptop_ssh "$LAB/ssh_config" home 'echo "home $(hostname) as $(id -un)"' > "$LOGS/s8-ssh.log" 2>&1 \
            && grep -q "^home .* as lifeline-it-admin$" "$LOGS/s8-ssh.log"; then
        took=$(since "$t1")
        tl "ssh home: '$(tail -n 1 "$LOGS/s8-ssh.log")' after ${took}s"
    else
        took=-
        FAILS+=("ssh home failed: $(tail -n 2 "$LOGS/s8-ssh.log" | tr '\n' ' ')")
    fi

    # a wrong host key on either hop: the first pin is the bastion's, the second the home's
    local hop key refused=""
    for hop in 1 2; do
        key=$(grep -m "$hop" KnownHostsCommand "$LAB/ssh_config" | tail -n 1 | awk '{print $NF}')
        awk -v n="$hop" -v other="$(cut -d' ' -f2 "$LAB/keys/admin.pub")" \
            '/KnownHostsCommand/ && ++seen == n { $NF = other } { print }' "$LAB/ssh_config" > "$LAB/ssh_config.bad$hop"
        if laptop_ssh "$LAB/ssh_config.bad$hop" home true > "$LOGS/s8-bad$hop.log" 2>&1; then
            FAILS+=("a wrong host key on hop $hop was accepted")
        elif grep -q "Host key verification failed" "$LOGS/s8-bad$hop.log"; then
            refused="$refused hop$hop"
        else
            FAILS+=("hop $hop with a wrong key failed otherwise: $(tail -n 1 "$LOGS/s8-bad$hop.log")")
        fi
        [ -n "$key" ] || FAILS+=("no pin $hop in the generated config")
    done

    # a tunnel key in the admin's place: it may hold its own port, never jump
    java -jar "$JAR" ssh-config --config "$LAB/lifeline.yaml" --admin-user lifeline-it-t1 --user lifeline-it-admin \
        --identity "$LAB/keys/lifeline-it-t1" --host-keys "$LAB/home-sshd" > "$LAB/ssh_config.tunnelkey" 2> /dev/null
    local tunnel_key
    if laptop_ssh "$LAB/ssh_config.tunnelkey" home true > "$LOGS/s8-tunnelkey.log" 2>&1; then
        tunnel_key="ACCEPTED"; FAILS+=("a tunnel key jumped to the home")
    else
        tunnel_key="refused ($(grep -o -m 1 'administratively prohibited\|Permission denied[^)]*)' "$LOGS/s8-tunnelkey.log" || tail -n 1 "$LOGS/s8-tunnelkey.log"))"
    fi

    # the bastion's own login SMS for the admin
    if wait_for 30 bastion_sms_has "$B0" "SSH login admin from" >/dev/null; then
        sms=$(first_at "$LAB/bastion-sms.log" "$B0" "SSH login admin from" "$t1")
    else
        sms=-; FAILS+=("no login SMS from the bastion for the admin")
    fi
    OUTAGE_OPEN=1
    result 8 "away from home: ssh home" "ssh -F <lifeline ssh-config> home works; a wrong key on either hop and a tunnel key refused; login SMS" \
        "ssh tunnel up ${up}s after the cut; ssh home ${took}s; wrong key refused on:${refused:- none}; tunnel key ${tunnel_key}; login SMS ${sms}s after the ssh" "$(verdict)"
}
