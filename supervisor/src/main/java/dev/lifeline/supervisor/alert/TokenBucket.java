package dev.lifeline.supervisor.alert;

import java.time.Duration;
import java.time.Instant;

/**
 * A channel's send budget: {@code burst} tokens, refilled at {@code ratePerHour}. IMMEDIATE alerts take a token
 * even when none is left (down to minus one burst), so a storm of outage messages also slows the NORMAL ones after it.
 */
final class TokenBucket {
    private final double capacity;
    private final double perMilli;
    private double tokens;
    private Instant last;

    TokenBucket(int ratePerHour, int burst, Instant now) {
        this.capacity = burst;
        this.perMilli = ratePerHour / 3_600_000.0;
        this.tokens = burst;
        this.last = now;
    }

    int available(Instant now) {
        refill(now);
        return (int) Math.floor(tokens);
    }

    void take(Instant now) {
        refill(now);
        tokens = Math.max(tokens - 1, -capacity);
    }

    /** When the next whole token is there ({@code now} if one is). */
    Instant nextTokenAt(Instant now) {
        refill(now);
        if (tokens >= 1) {
            return now;
        }
        return now.plus(Duration.ofMillis((long) Math.ceil((1 - tokens) / perMilli)));
    }

    private void refill(Instant now) {
        if (now.isAfter(last)) {
            tokens = Math.min(capacity, tokens + Duration.between(last, now).toMillis() * perMilli);
            last = now;
        }
    }

    @Override
    public String toString() {
        return "TokenBucket[" + String.format("%.2f", tokens) + "/" + (int) capacity + "]";
    }
}
