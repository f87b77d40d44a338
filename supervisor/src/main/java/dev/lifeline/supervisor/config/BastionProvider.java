package dev.lifeline.supervisor.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code bastion.provider}: whose API starts and stops the bastion ({@code local}: a hand-built one, tunnels only). */
public enum BastionProvider {
    AWS, DIGITALOCEAN, LOCAL;

    /** As written in the config: aws, digitalocean or local. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    static BastionProvider parse(String text) {
        return Arrays.stream(values()).filter(p -> p.word().equals(text)).findFirst().orElseThrow(() ->
                new ConfigValueException("provider", "provider must be one of " + Arrays.stream(values()).map(BastionProvider::word)
                        .collect(Collectors.joining(", ")) + " (got " + text + ")"));
    }
}
