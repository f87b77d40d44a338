package dev.lifeline.supervisor.settings;

import java.util.function.Supplier;

/**
 * A value made by its supplier on the first {@link #get()} and kept: for parts only some requests need (the status
 * server's metrics registry, an alert channel's client). Made at most once even when threads ask together.
 */
public final class OnFirstUse<T> implements Supplier<T> {
    private final Supplier<T> make;
    private volatile T value;

    public OnFirstUse(Supplier<T> make) {
        this.make = make;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = make.get();
                    value = v;
                }
            }
        }
        return v;
    }
}
