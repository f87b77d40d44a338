package dev.lifeline.supervisor.tunnel;

/**
 * Whether a session's path still carries anything from the bastion: any byte read counts as proof of life, not only
 * the answer to a keepalive. A session is dead when nothing at all has been read for {@code deadAfter} while a
 * keepalive is outstanding (sent after the last read), so a tunnel that is busy receiving is never dropped for a
 * keepalive answer stuck behind its data, and a quiet one is judged by its keepalives.
 *
 * <p>Times are {@link System#nanoTime()} readings passed in by the caller (a test passes its own). {@link #read} runs on
 * every buffer the session receives, so it is one volatile write; the checks run on one timer thread.
 */
final class ProofOfLife {
    private volatile long lastRead;
    private volatile long lastKeepalive;
    private volatile boolean keepaliveSent;
    private long longestSilence;
    private volatile long kernelHeard;
    private volatile long longestKernelSilence;

    ProofOfLife(long now) {
        this.lastRead = now;
    }

    /** Something arrived from the bastion. */
    void read(long now) {
        lastRead = now;
    }

    /**
     * The kernel heard the bastion at {@code then} (an ACK, a segment waiting behind a lost one): as good as a read,
     * though the session had nothing to read yet.
     */
    void heard(long then, long now) {
        if (then - lastRead > 0) {
            lastRead = then;
        }
        kernelHeard++;
        longestKernelSilence = Math.max(longestKernelSilence, now - then);
    }

    /** The longest time the kernel had heard nothing when {@link #heard} was asked, in nanoseconds: the closest call. */
    long longestKernelSilence() {
        return longestKernelSilence;
    }

    /** How often {@link #heard} kept a silent-looking session alive. */
    long kernelHeard() {
        return kernelHeard;
    }

    /** A keepalive (want-reply) went out. */
    void keepaliveSent(long now) {
        lastKeepalive = now;
        keepaliveSent = true;
    }

    /** A keepalive went out after the last read and has not been followed by any byte from the bastion. */
    boolean outstanding() {
        return keepaliveSent && lastKeepalive - lastRead > 0;
    }

    /** Nanoseconds since the last byte from the bastion. */
    long silence(long now) {
        return now - lastRead;
    }

    /**
     * True when the path counts as dead at {@code now}: a keepalive outstanding and nothing read for {@code deadAfterNanos}.
     * Also keeps the longest silence seen with a keepalive outstanding (how close a lossy line came to a drop).
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
