package dev.lifeline.supervisor.cloud;

/**
 * What {@code start()} and {@code stop()} do for {@code provider: local}: by default nothing (a hand-built bastion
 * is not ours to switch); a demo or test passes its embedded bastion's start and stop.
 */
public record LocalHooks(Runnable start, Runnable stop) {
    public static final LocalHooks NONE = new LocalHooks(() -> { }, () -> { });

    public LocalHooks {
        start = start == null ? () -> { } : start;
        stop = stop == null ? () -> { } : stop;
    }
}
