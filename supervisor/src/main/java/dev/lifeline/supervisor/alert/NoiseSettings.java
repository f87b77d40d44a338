package dev.lifeline.supervisor.alert;

import java.time.Duration;

/**
 * @param repeatAfter a NORMAL condition that is still (or again) a problem is told again after this long, not sooner
 */
public record NoiseSettings(Duration repeatAfter) {
    public static final NoiseSettings DEFAULTS = new NoiseSettings(Duration.ofHours(6));

    public NoiseSettings {
        if (repeatAfter == null || repeatAfter.isNegative() || repeatAfter.isZero()) {
            throw new IllegalArgumentException("alerts.repeatAfter must be > 0 (got " + repeatAfter + ")");
        }
    }
}
