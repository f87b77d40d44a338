package dev.lifeline.templates.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Collects every config problem so the user fixes them in one round, not one per `pulumi up`. */
final class Problems {
    private final List<String> lines = new ArrayList<>();

    void add(String key, String what) {
        lines.add(StackValues.NAMESPACE + ":" + key + " " + what);
    }

    /** Runs a parse step; its IllegalArgumentException becomes a problem under {@code key}. */
    <T> T attempt(String key, Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            add(key, e.getMessage());
            return null;
        }
    }

    boolean any() {
        return !lines.isEmpty();
    }

    List<String> lines() {
        return lines;
    }
}
