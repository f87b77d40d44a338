package dev.lifeline.supervisor.tunnel;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.kex.KexState;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's keepalives and its liveness check, in place of MINA's heartbeat (which counts only unanswered
 * keepalives): a {@code keepalive@openssh.com} with want-reply every interval — the answer is what a quiet path
 * carries — and, {@link #TICKS_PER_INTERVAL} times per interval, the {@link ProofOfLife} check that ends the session
 * when nothing at all has come from the bastion for interval × maxMisses with a keepalive outstanding. Once the path
 * has been quiet for an interval ({@link ProofOfLife#quiet}) a keepalive goes out at every check, so a lossy line's
 * TCP has segments in flight to repair its losses by (see TunnelSettings).
 */
final class KeepaliveWatch implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(KeepaliveWatch.class);
    /** Checks per keepalive interval: the bound on a dead path is deadAfter + interval / this. */
    static final int TICKS_PER_INTERVAL = 4;
    static final String REQUEST = "keepalive@openssh.com";

    private final CountingClientSession session;
    private final long deadAfterNanos;
    private final Duration deadAfter;
    private final long quietNanos;
    private ScheduledFuture<?> task;
    private long ticks;
    /** What the kernel said when last asked, for the drop's message. */
    private String kernelWord = "the kernel not asked";

    private KeepaliveWatch(CountingClientSession session, TunnelSettings settings) {
        this.session = session;
        this.deadAfter = settings.deadAfter();
        this.deadAfterNanos = deadAfter.toNanos();
        this.quietNanos = settings.keepaliveInterval().toNanos();
    }

    /** Starts watching {@code session} on {@code timer}; the watch ends itself when the session closes. */
    static void start(CountingClientSession session, TunnelSettings settings, ScheduledExecutorService timer) {
        KeepaliveWatch watch = new KeepaliveWatch(session, settings);
        long period = settings.checkPeriod().toNanos();
        synchronized (watch) {
            watch.task = timer.scheduleAtFixedRate(watch, 0, period, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void run() {
        if (session.isClosing() || session.isClosed()) {
            cancel();
            return;
        }
        ProofOfLife life = session.proofOfLife();
        long now = System.nanoTime();
        if (life.dead(now, deadAfterNanos) && !kernelHeardLately(life, now)) {
            cancel();
            String why = String.format("nothing from the bastion for %.1f s with a keepalive outstanding (dead after %d ms; %s)",
                    life.silence(now) / 1e9, deadAfter.toMillis(), kernelWord);
            LOG.debug("{}: {}", session.getAttribute(SshClients.TUNNEL_NAME), why);
            session.exceptionCaught(new SilentPathException(why));
            return;
        }
        if (ticks++ % TICKS_PER_INTERVAL == 0 || life.quiet(now, quietNanos)) {
            send(life, now);
        }
    }

    /**
     * Before ending a session whose reader has been silent for the dead-after time, asks the kernel: ACKs or segments
     * from the bastion within that time (a lossy line repairing one lost segment, a page's ACKs) count as proof of life.
     */
    private boolean kernelHeardLately(ProofOfLife life, long now) {
        var io = session.getIoSession();
        if (!(io.getLocalAddress() instanceof java.net.InetSocketAddress local)
                || !(io.getRemoteAddress() instanceof java.net.InetSocketAddress remote)) {
            kernelWord = "no TCP addresses to ask the kernel about";
            return false;
        }
        java.util.Optional<KernelTcpView.Heard> view = KernelTcpView.ask(local, remote);
        long asked = System.nanoTime();
        if (view.isEmpty()) {
            kernelWord = "the kernel could not tell (" + TimeUnit.NANOSECONDS.toMillis(asked - now) + " ms to ask)";
            return false;
        }
        KernelTcpView.Heard heard = view.get();
        if (!life.kernelMayVouch(now, deadAfterNanos, heard.resending())) {
            kernelWord = "no byte for " + (heard.resending() ? ProofOfLife.RESENDING_GRACE + " x dead-after while resending ours"
                    : ProofOfLife.KERNEL_GRACE + " x dead-after") + ": the kernel's word no longer counts";
            return false;
        }
        kernelWord = "the kernel last heard it " + heard.millisSince() + " ms before" + (heard.resending() ? ", resending ours" : "");
        if (TimeUnit.MILLISECONDS.toNanos(heard.millisSince()) >= deadAfterNanos) {
            return false;
        }
        life.heard(asked - TimeUnit.MILLISECONDS.toNanos(heard.millisSince()), asked);
        LOG.debug("{}: nothing to read for {} ms, but the kernel heard the bastion {} ms ago", session.getAttribute(SshClients.TUNNEL_NAME),
                TimeUnit.NANOSECONDS.toMillis(life.silence(now)), heard.millisSince());
        return true;
    }

    private void send(ProofOfLife life, long now) {
        // A key exchange in progress is itself a request awaiting its answer: count it as the keepalive, send nothing
        // (MINA holds back other packets until the new keys are in use).
        life.keepaliveSent(now);
        if (session.getKexState() != KexState.DONE) {
            return;
        }
        try {
            Buffer buf = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, REQUEST.length() + 8);
            buf.putString(REQUEST);
            buf.putBoolean(true);
            // OpenSSH answers REQUEST_FAILURE (it knows no such request); the answer's bytes are the proof, not its content.
            session.request(buf, REQUEST, (cmd, reply) -> { });
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("keepalive not sent: {}", e.toString());
        }
    }

    /**
     * Starts a watch on each session of the client once it is logged in (before that, connect and auth timeouts rule).
     * The watches run on a thread of their own, not MINA's timer: asking the kernel runs {@code ss}, which may take
     * up to {@link KernelTcpView}'s wait, and MINA's own timeouts must not wait behind it.
     */
    static final class Starter implements SessionListener {
        private final TunnelSettings settings;

        Starter(TunnelSettings settings) {
            this.settings = settings;
        }

        @Override
        public void sessionEvent(Session session, Event event) {
            if (event == Event.Authenticated && session instanceof CountingClientSession counting) {
                start(counting, settings, Timer.THREAD);
            }
        }
    }

    /** One daemon thread for every watch of the process, made on first use; a watch ends itself with its session. */
    private static final class Timer {
        static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lifeline-keepalive");
            t.setDaemon(true);
            return t;
        });
    }

    private synchronized void cancel() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
