package dev.lifeline.supervisor.tunnel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tunnel's life on its own thread: open a session, wait while it lives, decide when to try again.
 * One tunnel failing never stalls another: each has its worker.
 */
final class TunnelWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelWorker.class);
    private static final long CLOSE_WAIT_MILLIS = 3000;

    private final Tunnel tunnel;
    private final TunnelSettings settings;
    private final TunnelListener listener;
    private final Clock clock;
    private final ReconnectPolicy policy;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final AtomicReference<CountingClientSession> current = new AtomicReference<>();
    private volatile boolean stopping;
    private boolean reconnectRequested;
    private volatile TunnelState state;
    private long bytesInDone;
    private long bytesOutDone;
    private long sessions;
    private int forwardRefusals;
    private volatile long longestSilenceDone;
    private volatile long kernelHeardDone;
    private volatile long longestKernelSilenceDone;

    TunnelWorker(Tunnel tunnel, TunnelSettings settings, TunnelListener listener, Clock clock, RandomGenerator random) {
        this.tunnel = tunnel;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        this.policy = new ReconnectPolicy(settings, random);
        this.state = TunnelState.initial(tunnel.name(), clock.instant());
    }

    @Override
    public void run() {
        while (!stopping) {
            Instant upSince = null;
            FailureKind kind;
            String error;
            try {
                CountingClientSession session = tunnel.open();
                current.set(session);
                upSince = clock.instant();
                sessions++;
                forwardRefusals = 0;
                transition(TunnelState.Status.UP, null, null, null);
                awaitClose(session);
                current.set(null);
                bytesInDone += session.bytesIn();
                bytesOutDone += session.bytesOut();
                longestSilenceDone = Math.max(longestSilenceDone, session.proofOfLife().longestSilence());
                kernelHeardDone += session.proofOfLife().kernelHeard();
                longestKernelSilenceDone = Math.max(longestKernelSilenceDone, session.proofOfLife().longestKernelSilence());
                if (stopping) {
                    break;
                }
                kind = session.isHeartbeatLost() ? FailureKind.KEEPALIVE_LOST : FailureKind.CLOSED;
                error = kind == FailureKind.KEEPALIVE_LOST
                        ? session.failureMessage() : "session closed by the bastion or the network";
            } catch (TunnelException e) {
                kind = e.kind();
                error = e.getMessage();
            } catch (RuntimeException e) {
                kind = FailureKind.classify(e);
                error = e.toString();
            }
            if (stopping) {
                break;
            }
            report(kind);
            Duration delay = policy.delayAfter(kind, upSince, clock.instant());
            Instant nextTry = clock.instant().plus(delay);
            transition(TunnelState.Status.DOWN, kind, error + (delay.isZero() ? ", retrying now" : ", next try in " + delay.toMillis() + " ms"),
                    delay.isZero() ? null : nextTry);
            pause(delay);
            // The wait is over (or cut short by reconnectNow): a next-try time in the past would be a stale promise.
            state = state.trying();
        }
        transition(TunnelState.Status.STOPPED, null, null, null);
    }

    private void report(FailureKind kind) {
        if (kind == FailureKind.FORWARD_REFUSED) {
            forwardRefusals++;
            if (forwardRefusals == settings.forwardFailureAlertAfter()) {
                listener.forwardRefused(tunnel.name(), forwardRefusals);
            }
        } else if (kind == FailureKind.AUTH_REFUSED) {
            listener.authRefused(tunnel.name());
        }
    }

    private void awaitClose(CountingClientSession session) {
        while (!stopping && !session.isClosed() && !session.isClosing()) {
            session.waitFor(EnumSet.of(ClientSessionEvent.CLOSED), TimeUnit.SECONDS.toMillis(1));
        }
    }

    /** Waits out the delay unless stopped or told to reconnect now. */
    private void pause(Duration delay) {
        lock.lock();
        try {
            long nanos = delay.toNanos();
            while (nanos > 0 && !stopping && !reconnectRequested) {
                nanos = wake.awaitNanos(nanos);
            }
            reconnectRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            lock.unlock();
        }
    }

    void reconnectNow() {
        lock.lock();
        try {
            policy.reconnectNow();
            reconnectRequested = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the session politely, so the bastion frees the port at once instead of after its keepalives. */
    void stop() {
        stopping = true;
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        CountingClientSession session = current.get();
        if (session != null) {
            try {
                session.close(false).await(CLOSE_WAIT_MILLIS);
            } catch (java.io.IOException e) {
                session.close(true);
            }
        }
    }

    int openConnections() {
        CountingClientSession s = current.get();
        return s == null || s.isClosed() ? 0 : s.openConnections();
    }

    /**
     * The longest silence from the bastion with a keepalive outstanding, over every session so far, in nanoseconds:
     * how close the path came to counting as dead (tests and the bench read it).
     */
    long longestSilenceNanos() {
        CountingClientSession s = current.get();
        return Math.max(longestSilenceDone, s == null ? 0 : s.proofOfLife().longestSilence());
    }

    /** The longest the kernel had heard nothing from the bastion when asked, over every session so far, in nanoseconds. */
    long longestKernelSilenceNanos() {
        CountingClientSession s = current.get();
        return Math.max(longestKernelSilenceDone, s == null ? 0 : s.proofOfLife().longestKernelSilence());
    }

    /** How often the kernel's view kept a silent-looking session alive, over every session so far. */
    long kernelHeard() {
        CountingClientSession s = current.get();
        return kernelHeardDone + (s == null ? 0 : s.proofOfLife().kernelHeard());
    }

    TunnelState state() {
        CountingClientSession s = current.get();
        TunnelState st = state;
        long in = bytesInDone + (s == null ? 0 : s.bytesIn());
        long out = bytesOutDone + (s == null ? 0 : s.bytesOut());
        return new TunnelState(st.name(), st.status(), st.since(), st.lastError(), st.lastFailure(), st.reconnects(), in, out, st.nextTry());
    }

    private void transition(TunnelState.Status status, FailureKind kind, String error, Instant nextTry) {
        TunnelState before = state;
        long reconnects = Math.max(0, sessions - 1);
        // A retry that fails the same way is not a transition: "down since" keeps its time and the log its one line
        // (a stopped on-outage bastion refuses every few seconds for hours).
        boolean same = before.status() == status && before.lastFailure() == kind;
        state = new TunnelState(tunnel.name(), status, same ? before.since() : clock.instant(), error, kind, reconnects,
                before.bytesIn(), before.bytesOut(), nextTry);
        TunnelState now = state();
        if (!same) {
            if (status == TunnelState.Status.DOWN) {
                LOG.warn(now.describe());
            } else {
                LOG.info(now.describe());
            }
        } else {
            LOG.debug(now.describe());
        }
        listener.stateChanged(now);
    }
}
