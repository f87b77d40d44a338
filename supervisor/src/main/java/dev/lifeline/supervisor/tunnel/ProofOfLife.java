package dev.lifeline.supervisor.tunnel;

/**
 * Whether a session's path still carries anything from the bastion: any byte read counts as proof of life, not only
 * the answer to a keepalive. A session is dead when nothing at all has come for {@code deadAfter} while a keepalive is
 * outstanding (sent after the last byte read), so a tunnel that is busy receiving is never dropped for a keepalive
 * answer stuck behind its data, and a quiet one is judged by its keepalives.
 *
 * <p>What the kernel heard ({@link #heard}: ACKs, segments held behind a lost one) counts too, but only for so long:
 * a peer whose kernel ACKs while its sshd never sends a byte (a hung process, a relay that swallows the connection)
 * looks like that forever, so once the SSH layer itself has heard nothing for {@link #KERNEL_GRACE} × deadAfter the
 * kernel's word no longer keeps the session.
 *
 * <p>Times are {@link System#nanoTime()} readings passed in by the caller (a test passes its own). {@link #read} runs on
 * every buffer the session receives, so it is one volatile write; the checks run on one timer thread.
 */
final class ProofOfLife {
    /**
     * How many dead-after times of SSH silence the kernel's word may cover: 3, 15 s with the defaults. Beyond it is a
     * peer whose kernel ACKs while its sshd hangs (TunnelSupervisorIT freezes sshd's session process): nothing we
     * can see tells that from a bastion whose own resends back off on a lossy line, so this is where a hung bastion
     * is noticed, and where such a line can still lose a tunnel (LossyLineIT counts both).
     */
    static final int KERNEL_GRACE = 3;
    /**
     * The same while the kernel is resending our own data after a timeout: 12, a minute. Then the bastion is waiting
     * for our lost segment (its ACKs are duplicates) and can answer nothing until it comes; a busy stream's resends
     * double (0.8 … 6.4 s), so four lost in a row are more than 15 s. A hung sshd gives no such state: its kernel
     * ACKs all we send.
     */
    static final int RESENDING_GRACE = 12;

    private volatile long lastRead;
    private volatile long lastHeard;
    private volatile long lastKeepalive;
    private volatile long firstUnanswered;
    private volatile boolean keepaliveSent;
    private long longestSilence;
    private volatile long kernelHeard;
    private volatile long longestKernelSilence;

    ProofOfLife(long now) {
        this.lastRead = now;
        this.lastHeard = now;
    }

    /** Something arrived from the bastion. */
    void read(long now) {
        lastRead = now;
    }

    /**
     * The kernel heard the bastion at {@code then} (an ACK, a segment waiting behind a lost one), though the session
     * had nothing to read yet: the silence counts from then, within the grace.
     */
    void heard(long then, long now) {
        if (then - lastHeard > 0) {
            lastHeard = then;
        }
        kernelHeard++;
        longestKernelSilence = Math.max(longestKernelSilence, now - then);
    }

    /**
     * Whether the kernel's word may still keep the session: the SSH layer's own silence is within the grace, the
     * longer one while the kernel is {@code resending} our data.
     */
    boolean kernelMayVouch(long now, long deadAfterNanos, boolean resending) {
        return now - lastRead < (resending ? RESENDING_GRACE : KERNEL_GRACE) * deadAfterNanos;
    }

    /** How often {@link #heard} kept a silent-looking session alive. */
    long kernelHeard() {
        return kernelHeard;
    }

    /** The longest time the kernel had heard nothing when {@link #heard} was told, in nanoseconds: the closest call. */
    long longestKernelSilence() {
        return longestKernelSilence;
    }

    /** A keepalive (want-reply) went out. */
    void keepaliveSent(long now) {
        if (!outstanding()) {
            firstUnanswered = now;
        }
        lastKeepalive = now;
        keepaliveSent = true;
    }

    /**
     * Whether the path has gone quiet — the oldest keepalive still unanswered (sent after the last byte read) has waited
     * {@code quietNanos} — so
     * the watch should send its keepalives at every check rather than once an interval. On a lossy line every extra
     * segment in flight gets a (duplicate, SACK-carrying) ACK or a reply past the lost one: TCP repairs the loss by
     * fast retransmit at about one round trip instead of by its doubling timeouts, and the kernel has more to hear.
     * Costs nothing on a healthy line, where answers come within a round trip.
     */
    boolean quiet(long now, long quietNanos) {
        return outstanding() && now - firstUnanswered >= quietNanos;
    }

    /** A keepalive went out after the last byte read and has not been followed by any. */
    boolean outstanding() {
        return keepaliveSent && lastKeepalive - lastRead > 0;
    }

    /** Nanoseconds since the last byte read, or since the kernel last heard the bastion if that is later. */
    long silence(long now) {
        long last = lastHeard - lastRead > 0 ? lastHeard : lastRead;
        return now - last;
    }

    /**
     * True when the path counts as dead at {@code now}: a keepalive outstanding and nothing heard for {@code deadAfterNanos}.
     * Also keeps the longest such silence (how close a lossy line came to a drop).
     */
    boolean dead(long now, long deadAfterNanos) {
        if (!outstanding()) {
            return false;
        }
        long silence = silence(now);
        longestSilence = Math.max(longestSilence, silence);
        return silence >= deadAfterNanos;
    }

    /** The longest silence with a keepalive outstanding seen by {@link #dead} so far, in nanoseconds. */
    long longestSilence() {
        return longestSilence;
    }
}
