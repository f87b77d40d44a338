package dev.lifeline.supervisor.alert;

/** How soon a person must hear it. */
public enum Severity {
    /** outage start/end, bastion started/stopped, login, host-key mismatch: sent at once, never folded into a digest */
    IMMEDIATE,
    /** backup-line problems and the like: deduplicated, may be folded into a digest */
    NORMAL
}
