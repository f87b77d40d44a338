package dev.lifeline.supervisor.heartbeat;

import java.util.Optional;

import dev.lifeline.supervisor.link.BackupHealth;
import dev.lifeline.supervisor.link.LinkState;
import dev.lifeline.supervisor.policy.OutagePolicy;

/**
 * When the heartbeat says "fail" instead of "alive": the home still runs, but it needs a person.
 * <ul>
 *   <li>an outage is declared: the outage policy's open outage when it controls the bastion (it outlives a restart),
 *       otherwise the primary line's tracker at DOWN — the same verdict as {@code lifeline_outage_active};</li>
 *   <li>the backup line's last health check found a problem (wrong ISP, low speed, high latency, no answer): the next
 *       outage would not be covered — the same verdict as {@code lifeline_backup_healthy == 0}.</li>
 * </ul>
 * Tunnels that are down are not trouble: in on-outage mode they are down whenever the bastion is stopped, and the
 * alerts already name each one. A part that is not configured (no links, no backup check yet) is never trouble.
 */
public final class Trouble {
    private Trouble() {
    }

    /**
     * @param policy  null when the supervisor does not control the bastion
     * @param primary null when the primary line is not tracked
     * @param backup  null before the first backup check or when it is not configured
     * @return what is wrong, in a few words for the outside service's log; empty when all is well
     */
    public static Optional<String> of(OutagePolicy.Snapshot policy, LinkState primary, BackupHealth backup) {
        StringBuilder why = new StringBuilder();
        if (policy != null ? policy.outageSince() != null : primary == LinkState.DOWN) {
            why.append("outage: primary line down");
            if (policy != null) {
                why.append(" since ").append(policy.outageSince());
            }
        }
        if (backup != null && !backup.healthy()) {
            why.append(why.length() == 0 ? "" : "; ").append("backup line unhealthy: ").append(String.join(", ", backup.problems()));
        }
        return why.length() == 0 ? Optional.empty() : Optional.of(why.toString());
    }
}
