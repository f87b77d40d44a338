package dev.lifeline.supervisor.tunnel;

import java.time.Duration;
import java.util.List;

import dev.lifeline.supervisor.retry.Backoff;

/**
 * Every timing a tunnel lives by, in one place (as autossh keeps its knobs), with the defaults and why.
 *
 * @param keepaliveInterval      send {@code keepalive@openssh.com} (want-reply) this often; 5 s
 * @param keepaliveMaxMisses     unanswered keepalives before the session counts as dead; 3, so a silently
 *                               dead path is noticed within 15 s — OpenSSH's ServerAliveCountMax default
 * @param connectTimeout         TCP connect plus SSH key exchange; 10 s
 * @param authTimeout            public-key authentication; 10 s
 * @param backoffInitial         first wait after a failed attempt; 1 s
 * @param backoffMax             the cap; 30 s, so a bastion that comes back is used within half a minute
 * @param healthyAfter           a session up this long resets the backoff, and its loss is retried at once; 10 s
 * @param forwardFailureAlertAfter consecutive refused remote binds (a stale listener on the bastion) before
 *                               an event is raised; 3
 * @param ciphers                cipher preference, fastest safe first; empty: chosen for this CPU
 */
public record TunnelSettings(
        Duration keepaliveInterval,
        int keepaliveMaxMisses,
        Duration connectTimeout,
        Duration authTimeout,
        Duration backoffInitial,
        Duration backoffMax,
        Duration healthyAfter,
        int forwardFailureAlertAfter,
        List<String> ciphers) {

    public static final TunnelSettings DEFAULTS = new TunnelSettings(Duration.ofSeconds(1), 5, Duration.ofSeconds(10),
            Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10), 3, List.of());

    public TunnelSettings {
        positive("keepaliveInterval", keepaliveInterval);
        positive("connectTimeout", connectTimeout);
        positive("authTimeout", authTimeout);
        positive("backoffInitial", backoffInitial);
        positive("backoffMax", backoffMax);
        positive("healthyAfter", healthyAfter);
        if (keepaliveMaxMisses < 2 || keepaliveMaxMisses > 20) {
            throw new IllegalArgumentException("keepaliveMaxMisses must be 2..20 (got " + keepaliveMaxMisses + ")");
        }
        if (forwardFailureAlertAfter < 1) {
            throw new IllegalArgumentException("forwardFailureAlertAfter must be ≥ 1 (got " + forwardFailureAlertAfter + ")");
        }
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoffMax (" + backoffMax + ") must not be shorter than backoffInitial (" + backoffInitial + ")");
        }
        ciphers = List.copyOf(ciphers);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration such as 5s (got " + d + ")");
        }
    }

    /** Reconnect waits: ± this share, so tunnels (and many homes after one carrier outage) do not retry in lockstep. */
    public static final double RECONNECT_JITTER = 0.2;

    /** The waits between failed attempts in a row: from backoffInitial, doubled up to backoffMax, jittered. */
    public Backoff backoff() {
        return Backoff.startingAt(backoffInitial).doublingUpTo(backoffMax).withJitter(RECONNECT_JITTER);
    }

    /** Silence from the bastion, with a keepalive outstanding, that ends a session: interval × misses. */
    public Duration deadAfter() {
        return keepaliveInterval.multipliedBy(keepaliveMaxMisses);
    }

    /** How often the liveness check runs: a quarter of the keepalive interval. */
    public Duration checkPeriod() {
        return keepaliveInterval.dividedBy(KeepaliveWatch.TICKS_PER_INTERVAL);
    }

    /**
     * How long a dead path can go unnoticed: the last byte from the bastion came at the latest when the path died, a
     * keepalive follows within one interval (so one is outstanding well before deadAfter, misses being ≥ 2), and the
     * check runs every checkPeriod: deadAfter + checkPeriod. 5.25 s with the defaults.
     */
    public Duration deadPathBound() {
        return deadAfter().plus(checkPeriod());
    }
}
