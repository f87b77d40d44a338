package dev.lifeline.templates.spec;

import java.util.Objects;

/**
 * A value that must never reach a log, an exception or status output: {@link #toString()} hides it.
 * A stack file read outside Pulumi holds secrets encrypted, so a secret can also be
 * {@linkplain #unavailable(String) unavailable}: rendering then shows where it will go instead of what.
 */
public final class Secret {
    private final String value;
    private final String key;

    private Secret(String key, String value) {
        this.key = Objects.requireNonNull(key, "key");
        this.value = value;
    }

    public static Secret of(String key, String value) {
        return new Secret(key, Objects.requireNonNull(value, "value"));
    }

    /** A secret that exists in the stack but is encrypted with a key only the Pulumi CLI holds. */
    public static Secret unavailable(String key) {
        return new Secret(key, null);
    }

    public boolean isAvailable() {
        return value != null;
    }

    /** The plain value, for the one place that has to write it (user-data, a root-only file). */
    public String reveal() {
        if (value == null) {
            // No quote, dollar or backtick: the placeholder lands in shell-sourced files of a render.
            return "PLACEHOLDER-" + key + "-is-a-Pulumi-secret-decrypted-only-by-pulumi-up";
        }
        return value;
    }

    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key + "=***";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && key.equals(s.key) && Objects.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, value);
    }
}
