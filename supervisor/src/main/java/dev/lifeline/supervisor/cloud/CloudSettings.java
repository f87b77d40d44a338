package dev.lifeline.supervisor.cloud;

import java.time.Duration;

/**
 * Every timing knob of the cloud calls in one place, with the defaults the daemon runs with.
 *
 * @param pollInterval     how often {@code await} asks the provider for the state (EC2 and DigitalOcean both take
 *                         tens of seconds to boot, so polling faster only spends API quota)
 * @param connectTimeout   TCP connect to the API
 * @param attemptTimeout   one HTTP attempt, connect to last byte
 * @param apiCallTimeout   one call including all its retries (AWS); nothing waits longer on a cloud call
 * @param maxAttempts      attempts per call including the first, for AWS (SDK standard retry mode) and DigitalOcean
 * @param backoffBase      DigitalOcean 5xx: first delay, doubled per attempt
 * @param backoffCap       DigitalOcean 5xx: delay ceiling
 * @param retryAfterCap    DigitalOcean 429: the longest {@code Retry-After} we honour; a longer one is cut to this
 * @param localProbeTimeout provider local: how long a TCP connect to the bastion may take to count as RUNNING
 */
public record CloudSettings(Duration pollInterval, Duration connectTimeout, Duration attemptTimeout, Duration apiCallTimeout,
                            int maxAttempts, Duration backoffBase, Duration backoffCap, Duration retryAfterCap,
                            Duration localProbeTimeout) {

    public static final CloudSettings DEFAULTS = new CloudSettings(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(15), Duration.ofSeconds(60), 4, Duration.ofSeconds(1), Duration.ofSeconds(20),
            Duration.ofSeconds(30), Duration.ofMillis(1500));

    public CloudSettings {
        positive("pollInterval", pollInterval);
        positive("connectTimeout", connectTimeout);
        positive("attemptTimeout", attemptTimeout);
        positive("apiCallTimeout", apiCallTimeout);
        positive("backoffBase", backoffBase);
        positive("backoffCap", backoffCap);
        positive("retryAfterCap", retryAfterCap);
        positive("localProbeTimeout", localProbeTimeout);
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be 1..10 (got " + maxAttempts + ")");
        }
    }

    public CloudSettings withPollInterval(Duration interval) {
        return new CloudSettings(interval, connectTimeout, attemptTimeout, apiCallTimeout, maxAttempts, backoffBase,
                backoffCap, retryAfterCap, localProbeTimeout);
    }

    public CloudSettings withBackoff(Duration base, Duration cap) {
        return new CloudSettings(pollInterval, connectTimeout, attemptTimeout, apiCallTimeout, maxAttempts, base, cap,
                retryAfterCap, localProbeTimeout);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration (got " + d + ")");
        }
    }
}
