package dev.lifeline.supervisor.cloud;

import dev.lifeline.supervisor.settings.Words;

/** {@code bastion.mode}: when the bastion runs. The outage policy acts on it; the config parses it once. */
public enum BastionMode {
    /** started when the primary line fails, stopped after it is back (the default) */
    ON_OUTAGE,
    /** kept running; only the tunnels follow the lines */
    ALWAYS_ON;

    /** As written in the config: on-outage or always-on. */
    public String word() {
        return Words.of(this);
    }
}
