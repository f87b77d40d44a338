package dev.lifeline.supervisor.tunnel;

import java.time.Duration;
import java.util.List;

import dev.lifeline.supervisor.retry.Backoff;

/**
 * Every timing a tunnel lives by, in one place (as autossh keeps its knobs), with the defaults and why.
 *
 * <h2>Keepalives: 1 s × 5, so a dead path is noticed within 5.25 s</h2>
 * A session is dead when nothing at all has come from the bastion for interval × misses (5 s) while a keepalive is
 * outstanding ({@link ProofOfLife}): any byte counts, and before dropping, what the kernel heard too
 * ({@link KernelTcpView}: ACKs and data segments, for at most {@link ProofOfLife#KERNEL_GRACE} × 5 s of SSH silence,
 * as a hung sshd's kernel still ACKs). The check runs every quarter interval, so the bound is
 * {@link #deadPathBound()} = 5.25 s (issue 17's target: 6 s). Measured (DeadTunnelBench, a frozen path on loopback,
 * packets dropped both ways, load average ≈ 5 on 2 cores): 4.4, 4.7, 5.2 s, against OpenSSH's {@code ssh -N -R} at
 * ServerAlive 5 s × 3 on the same path in the same run: 17.2 s each time. LossyLineIT (a cut namespaced line): 4.4–4.7 s.
 *
 * <h2>A bad backup line: 20 % loss each way, 600 ms round trip</h2>
 * Linux's RTO there is ≈ SRTT + 200 ms ≈ 0.8 s, and by default each further loss of one segment doubles the wait: a
 * stalled segment goes out at 0, 0.8, 1.6, 3.2, 6.4 s. While it is missing TCP hands nothing after it to SSH, and a
 * page the home sends holds the keepalive's answer behind it. So the SSH layer alone goes quiet for 5 s often: in
 * LossyLineIT (the lab's linkem, 300 ms and 20 % each way, two tunnels, 16 KiB pages and idle minutes) the rule on its
 * own word dropped a tunnel 17 times in five minutes. What keeps it calmer, each measured there:
 * <ul>
 * <li>What the kernel heard ({@link KernelTcpView}: ACKs, segments held behind a lost one) counts as proof of life,
 * for up to {@link ProofOfLife#KERNEL_GRACE} × 5 s of SSH silence, {@link ProofOfLife#RESENDING_GRACE} × 5 s (a
 * minute) while the kernel resends our own data: a busy stream's resends double, and the SSH layer was silent for
 * over 15 s while the kernel heard ACKs all along.</li>
 * <li>Thin-stream linear timeouts on both ends ({@code net.ipv4.tcp_thin_linear_timeouts}: the .deb's sysctl file, the
 * bastion's rendered one): while a tunnel has fewer than 4 segments in flight its first six resends come every RTO
 * instead of doubling.</li>
 * <li>Once a keepalive has waited an interval unanswered, one goes out at every check ({@link ProofOfLife#quiet}):
 * more segments in flight, so a loss is repaired by SACK within about a round trip, and more for the kernel to hear.</li>
 * </ul>
 * <p>The floor: when the line carries nothing from the bastion for 5 s — several round trips lost in a row while
 * resends back off — no rule that notices a dead path within 6 s can tell it from death. Measured with these defaults
 * (two tunnels, 16 KiB pages every few seconds in alternate minutes): before the sysctl and the quiet-path keepalives
 * about one drop per 6 tunnel-minutes; with them, one in 80 tunnel-minutes, with the kernel silent ≥ 5 s (the floor).
 * The bastion's tunnel watchdog, which must free a frozen home's port within 5 s, ended 6 healthy sessions in the same
 * 80 tunnel-minutes (see its unit and docs/performance.md). A home whose backup line is that bad can trade detection time for calm:
 * 1 s × 8 (8.25 s), 1 s × 14 (14.25 s).
 * <p>Why 1 s and not fewer, larger intervals: every keepalive is a segment the bastion answers or ACKs, so losses are
 * repaired by SACK at about one round trip instead of by backed-off timeouts, and the kernel has more to hear; 2.5 s × 2
 * (the same 5 s) dropped a tunnel after 65 s with the kernel's view. The price, reckoned from packet sizes (a 52-byte
 * request, a 36-byte answer, an ACK, each with 52 bytes of TCP/IP headers): ≈ 250 bytes a second per tunnel (≈ 21 MB a
 * day); on a metered line 5 s × 3, OpenSSH's usual, costs a fifth and notices within 15.25 s.
 *
 * @param keepaliveInterval      send {@code keepalive@openssh.com} (want-reply) this often; 1 s
 * @param keepaliveMaxMisses     intervals of silence from the bastion, with a keepalive outstanding, before the
 *                               session counts as dead; 5 (see above)
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
