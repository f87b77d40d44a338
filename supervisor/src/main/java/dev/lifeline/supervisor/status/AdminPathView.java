package dev.lifeline.supervisor.status;

import java.time.Instant;
import java.util.List;

import dev.lifeline.supervisor.tunnel.TunnelState;

/**
 * The admin's SSH path to the home as the status page shows it: the tunnels with {@code service: ssh}, through which
 * {@code lifeline ssh-config} takes the admin to the home's sshd. With none configured the path does not exist, and
 * {@link StatusSource#adminPath()} is empty ("not configured" on the page).
 *
 * @param state       the path's tunnel's state: {@code UP}, {@code DOWN}, {@code CONNECTING} or {@code STOPPED}
 * @param since       when it entered that state
 * @param tunnel      the tunnel it goes through (an UP one when there are several)
 * @param lastFailure when not up: the tunnel's failure kind ({@code AUTH_REFUSED}, {@code NETWORK}, …)
 * @param nextTry     when not up: when the tunnel is tried again; null while it is trying
 * @param detail      when not up: the tunnel's last error (file paths cut to their names)
 */
public record AdminPathView(String state, Instant since, String tunnel, String lastFailure, Instant nextTry, String detail) {

    /** @return null when {@code sshTunnels} is empty: no admin path is configured */
    static AdminPathView of(List<TunnelState> sshTunnels) {
        TunnelState t = sshTunnels.stream().filter(TunnelState::isUp).findFirst()
                .orElse(sshTunnels.isEmpty() ? null : sshTunnels.get(0));
        if (t == null) {
            return null;
        }
        if (t.isUp()) {
            return new AdminPathView(t.status().name(), t.since(), t.name(), null, null, null);
        }
        return new AdminPathView(t.status().name(), t.since(), t.name(), t.lastFailure() == null ? null : t.lastFailure().name(),
                t.nextTry(), t.lastError());
    }
}
