package dev.lifeline.supervisor.policy;

import java.time.Instant;

/**
 * What the policy must not forget across a restart (a crash or `kill -9` in the middle of an outage): that an
 * outage is open and was announced, and since when the bastion runs — so a restart neither announces the outage a
 * second time nor shortens {@code minOn}.
 *
 * @param outageSince  when the primary was declared DOWN; null: no outage open
 * @param bastionSince when the bastion was started by us; null: not running by our hand
 */
public record PolicyMemory(Instant outageSince, Instant lastGood, Instant bastionSince) {
    public static final PolicyMemory EMPTY = new PolicyMemory(null, null, null);
}
