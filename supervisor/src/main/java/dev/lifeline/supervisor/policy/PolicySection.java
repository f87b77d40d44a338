package dev.lifeline.supervisor.policy;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.settings.ConfigValueException;

/**
 * {@code policy:}: when the bastion stops again. The primary must be back for {@code recoveryHold} (so flapping never
 * flaps the bastion), and the bastion must have run at least {@code minOn}.
 */
public record PolicySection(Duration recoveryHold, Duration minOn) {
    public static final PolicySection DEFAULTS = new PolicySection(Duration.ofMinutes(10), Duration.ofMinutes(15));

    @JsonCreator
    static PolicySection read(@JsonProperty("recoveryHold") Duration recoveryHold, @JsonProperty("minOn") Duration minOn) {
        return new PolicySection(recoveryHold == null ? Duration.ofMinutes(10) : recoveryHold, minOn == null ? Duration.ofMinutes(15) : minOn);
    }

    public PolicySection {
        if (recoveryHold == null || recoveryHold.isZero()) {
            throw new ConfigValueException("recoveryHold", "recoveryHold must be more than 0, e.g. 10m");
        }
        if (minOn == null) {
            throw new ConfigValueException("minOn", "minOn must be a duration, e.g. 15m");
        }
    }
}
