package dev.lifeline.supervisor.tunnel;

import java.time.Duration;
import java.util.List;

import dev.lifeline.supervisor.settings.ConfigValueException;

/**
 * The optional {@code ssh:} section: any timing left out keeps its default from {@link TunnelSettings#DEFAULTS}
 * (which explains each default and the measurements behind it). {@code keepaliveInterval} (1s) is how often a
 * keepalive goes out; a session with nothing at all from the bastion for {@code keepaliveInterval} ×
 * {@code keepaliveMaxMisses} (1s × 5) while one is outstanding is dropped.
 */
public record SshSection(Duration keepaliveInterval, Integer keepaliveMaxMisses, Duration connectTimeout,
                         Duration authTimeout, Duration backoffInitial, Duration backoffMax, Duration healthyAfter,
                         Integer forwardFailureAlertAfter, List<String> ciphers) {

    public SshSection {
        try {
            build(keepaliveInterval, keepaliveMaxMisses, connectTimeout, authTimeout, backoffInitial, backoffMax,
                    healthyAfter, forwardFailureAlertAfter, ciphers);
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().split(" ", 2)[0];
            throw new ConfigValueException(key, e.getMessage());
        }
    }

    public TunnelSettings settings() {
        return build(keepaliveInterval, keepaliveMaxMisses, connectTimeout, authTimeout, backoffInitial, backoffMax,
                healthyAfter, forwardFailureAlertAfter, ciphers);
    }

    private static TunnelSettings build(Duration keepaliveInterval, Integer keepaliveMaxMisses, Duration connectTimeout,
                                        Duration authTimeout, Duration backoffInitial, Duration backoffMax,
                                        Duration healthyAfter, Integer forwardFailureAlertAfter, List<String> ciphers) {
        TunnelSettings d = TunnelSettings.DEFAULTS;
        return new TunnelSettings(
                or(keepaliveInterval, d.keepaliveInterval()),
                or(keepaliveMaxMisses, d.keepaliveMaxMisses()),
                or(connectTimeout, d.connectTimeout()),
                or(authTimeout, d.authTimeout()),
                or(backoffInitial, d.backoffInitial()),
                or(backoffMax, d.backoffMax()),
                or(healthyAfter, d.healthyAfter()),
                or(forwardFailureAlertAfter, d.forwardFailureAlertAfter()),
                or(ciphers, d.ciphers()));
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
