package dev.lifeline.supervisor.link;

/** A line as the tracker has declared it. */
public enum LinkState {
    UP, DOWN
}
