package dev.lifeline.supervisor.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code bastion.mode}: when the bastion runs. The outage policy acts on it; the config parses it once. */
public enum BastionMode {
    /** started when the primary line fails, stopped after it is back (the default) */
    ON_OUTAGE,
    /** kept running; only the tunnels follow the lines */
    ALWAYS_ON;

    /** As written in the config: on-outage or always-on. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static BastionMode parse(String text) {
        return Arrays.stream(values()).filter(m -> m.word().equals(text)).findFirst().orElseThrow(() ->
                new ConfigValueException("mode", "mode must be " + Arrays.stream(values()).map(BastionMode::word)
                        .collect(Collectors.joining(" or ")) + " (got " + text + ")"));
    }
}
