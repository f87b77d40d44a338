package dev.lifeline.supervisor.probe;

/**
 * One reachability check, bound to a line's source address when configured, with its own timeout.
 * {@link #run()} never throws for a network failure: the failure is the result. It blocks at most the timeout.
 */
public interface Probe {
    /** The target as configured, e.g. {@code tcp://198.18.2.1:443}; used in logs and status. */
    String target();

    ProbeResult run();
}
