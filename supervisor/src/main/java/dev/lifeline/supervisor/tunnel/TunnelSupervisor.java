package dev.lifeline.supervisor.tunnel;

import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Keeps every configured tunnel up: one MINA client for the process, one worker thread per tunnel.
 * Decides nothing about a single connection (that is {@link Tunnel}); it starts, wakes and stops the workers.
 */
public final class TunnelSupervisor implements AutoCloseable {
    private final SshClient client;
    private final HealthResponder health;
    private final List<TunnelWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private TunnelSupervisor(SshClient client, HealthResponder health) {
        this.client = client;
        this.health = health;
    }

    /**
     * Reads every key first (a bad key stops everything before any connection), then starts the tunnels.
     *
     * @throws IllegalArgumentException naming the key file and the fix
     */
    public static TunnelSupervisor start(TunnelPlan plan, TunnelListener listener, Clock clock, RandomGenerator random) {
        TunnelSettings settings = plan.settings();
        List<KeyPair> identities = plan.tunnels().stream().map(t -> Identity.load(t.key())).toList();
        HealthResponder health = HealthResponder.start();
        Map<Integer, SshdSocketAddress> routes = new HashMap<>();
        Set<Integer> healthPorts = new HashSet<>();
        for (TunnelTarget t : plan.tunnels()) {
            routes.put(t.remotePort(), new SshdSocketAddress(t.localHost(), t.localPort()));
            if (t.healthPort() != 0) {
                routes.put(t.healthPort(), health.address());
                healthPorts.add(t.healthPort());
            }
        }
        SshClient client = SshClients.create(settings, plan.bastionHostKey().toPublicKey(), routes, healthPorts, listener);
        TunnelSupervisor supervisor = new TunnelSupervisor(client, health);
        for (int i = 0; i < plan.tunnels().size(); i++) {
            TunnelTarget t = plan.tunnels().get(i);
            Tunnel tunnel = new Tunnel(t, plan.bastionHost(), plan.bastionPort(), identities.get(i), client, settings,
                    health.address());
            TunnelWorker worker = new TunnelWorker(tunnel, settings, listener, clock, random);
            Thread thread = new Thread(worker, "tunnel-" + t.name());
            thread.setDaemon(true);
            supervisor.workers.add(worker);
            supervisor.threads.add(thread);
        }
        supervisor.threads.forEach(Thread::start);
        return supervisor;
    }

    /** Try every tunnel that is down right now, forgetting the backoff: the bastion was just started. */
    public void reconnectNow() {
        workers.forEach(TunnelWorker::reconnectNow);
    }

    /** Forwarded connections open through all tunnels right now: the bastion must not stop under them. */
    public int openConnections() {
        return workers.stream().mapToInt(TunnelWorker::openConnections).sum();
    }

    /** Per tunnel, the longest silence with a keepalive outstanding so far (see {@link TunnelWorker#longestSilenceNanos}). */
    List<java.time.Duration> longestSilences() {
        return workers.stream().map(w -> java.time.Duration.ofNanos(w.longestSilenceNanos())).toList();
    }

    /** Per tunnel, the longest the kernel had heard nothing when asked (see {@link TunnelWorker#longestKernelSilenceNanos}). */
    List<java.time.Duration> longestKernelSilences() {
        return workers.stream().map(w -> java.time.Duration.ofNanos(w.longestKernelSilenceNanos())).toList();
    }

    /** Per tunnel, how often the kernel's view of the connection kept a silent-looking session alive. */
    List<Long> kernelHeard() {
        return workers.stream().map(TunnelWorker::kernelHeard).toList();
    }

    public List<TunnelState> states() {
        return workers.stream().map(TunnelWorker::state).toList();
    }

    /** Closes every session so the bastion frees the ports at once, then the client. Idempotent. */
    @Override
    public void close() {
        workers.parallelStream().forEach(TunnelWorker::stop);
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            client.stop();
        } catch (RuntimeException ignored) {
            // already stopped
        }
        health.close();
    }

    @Override
    public String toString() {
        return "TunnelSupervisor" + states().stream().map(s -> s.name() + "=" + s.status()).toList();
    }
}
