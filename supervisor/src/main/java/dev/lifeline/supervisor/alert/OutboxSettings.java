package dev.lifeline.supervisor.alert;

import java.time.Duration;

import dev.lifeline.supervisor.retry.Backoff;

/**
 * Every timing and limit of the outbox, in one place.
 *
 * @param retryInitial  wait after a channel's first transient failure; doubled per failure …
 * @param retryMax      … up to this cap, so a channel that comes back after a long outage is tried within minutes
 * @param jitter        ± share of each wait, so alerts queued in one outage do not hit a channel in lockstep
 * @param fallbackAfter how long the last channel tried may keep failing before a
 *                      {@link Fanout#FIRST_WITH_FALLBACK} alert also goes to the next channel
 * @param giveUpAfter   after this long undelivered, a channel is marked failed for the alert (logged, in status);
 *                      long enough to outlast a full outage of the home's internet
 * @param ratePerHour   sends per channel per hour (token bucket refill); IMMEDIATE alerts count but are never held
 * @param burst         tokens a rested channel starts with
 * @param digestMaxChars a digest never grows past this (Twilio takes 1,600 characters); what does not fit waits
 * @param immediate     who must hear an IMMEDIATE alert
 * @param normal        who must hear a NORMAL alert
 */
public record OutboxSettings(Duration retryInitial, Duration retryMax, double jitter, Duration fallbackAfter,
                             Duration giveUpAfter, int ratePerHour, int burst, int digestMaxChars,
                             Fanout immediate, Fanout normal) {

    /** Which channels an alert must reach before it leaves the outbox. */
    public enum Fanout {
        /** all configured channels, each retried on its own */
        EVERY_CHANNEL,
        /** the first channel in the configured order; the next one too once the last tried keeps failing */
        FIRST_WITH_FALLBACK
    }

    public static final OutboxSettings DEFAULTS = new OutboxSettings(Duration.ofSeconds(5), Duration.ofMinutes(10), 0.2,
            Duration.ofMinutes(10), Duration.ofDays(3), 10, 10, 1500, Fanout.EVERY_CHANNEL, Fanout.FIRST_WITH_FALLBACK);

    public OutboxSettings {
        positive(retryInitial, "retryInitial");
        positive(retryMax, "retryMax");
        positive(fallbackAfter, "fallbackAfter");
        positive(giveUpAfter, "giveUpAfter");
        if (retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException("alerts.retryMax must be ≥ retryInitial (got " + retryMax + " < " + retryInitial + ")");
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("alerts.jitter must be in [0, 1) (got " + jitter + ")");
        }
        if (ratePerHour < 1 || burst < 1) {
            throw new IllegalArgumentException("alerts.ratePerHour and burst must be ≥ 1 (got " + ratePerHour + ", " + burst + ")");
        }
        if (digestMaxChars < 100) {
            throw new IllegalArgumentException("alerts.digestMaxChars must be ≥ 100 (got " + digestMaxChars + ")");
        }
        if (immediate == null || normal == null) {
            throw new IllegalArgumentException("alerts.immediate and alerts.normal fan-out are required");
        }
    }

    public OutboxSettings withRetry(Duration initial, Duration max) {
        return new OutboxSettings(initial, max, jitter, fallbackAfter, giveUpAfter, ratePerHour, burst, digestMaxChars, immediate, normal);
    }

    public OutboxSettings withJitter(double share) {
        return new OutboxSettings(retryInitial, retryMax, share, fallbackAfter, giveUpAfter, ratePerHour, burst, digestMaxChars, immediate, normal);
    }

    public OutboxSettings withFallbackAfter(Duration d) {
        return new OutboxSettings(retryInitial, retryMax, jitter, d, giveUpAfter, ratePerHour, burst, digestMaxChars, immediate, normal);
    }

    public OutboxSettings withGiveUpAfter(Duration d) {
        return new OutboxSettings(retryInitial, retryMax, jitter, fallbackAfter, d, ratePerHour, burst, digestMaxChars, immediate, normal);
    }

    public OutboxSettings withRate(int perHour, int burstSize) {
        return new OutboxSettings(retryInitial, retryMax, jitter, fallbackAfter, giveUpAfter, perHour, burstSize, digestMaxChars, immediate, normal);
    }

    public OutboxSettings withFanout(Fanout forImmediate, Fanout forNormal) {
        return new OutboxSettings(retryInitial, retryMax, jitter, fallbackAfter, giveUpAfter, ratePerHour, burst, digestMaxChars, forImmediate, forNormal);
    }

    /** A channel's waits after failed attempts in a row; the count and the next attempt live in the outbox record. */
    Backoff retries() {
        return Backoff.startingAt(retryInitial).doublingUpTo(retryMax).withJitter(jitter);
    }

    Fanout fanout(Severity severity) {
        return severity == Severity.IMMEDIATE ? immediate : normal;
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("alerts." + name + " must be > 0 (got " + d + ")");
        }
    }
}
