package dev.lifeline.supervisor.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.testing.FreezableProxy;
import dev.lifeline.supervisor.testing.Http;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.supervisor.tunnel.TunnelListener;
import dev.lifeline.supervisor.tunnel.TunnelSettings;
import dev.lifeline.supervisor.tunnel.TunnelState;
import dev.lifeline.supervisor.tunnel.TunnelSupervisor;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.HomeService;
import dev.lifeline.templates.testing.OpenSshClient;
import dev.lifeline.templates.testing.TestUsers;

/**
 * ci/bench.sh dead-tunnel: with the default timings, the reconnect after an sshd restart and how long a silently dead
 * path (a {@link FreezableProxy} in front of the rendered sshd goes quiet, nothing closed) takes to be noticed on the
 * home side — interleaved, round by round, with OpenSSH's {@code ssh -N -R} at ServerAliveInterval 5 /
 * ServerAliveCountMax 3 (autossh's usual set-up) against the same frozen path, as the anchor measured in this run.
 * Run it as root (as ci/bench.sh is): only then does the freeze drop packets too, as a dead carrier does; without, the
 * proxy's kernel still ACKs and the tunnel rightly waits out its kernel grace (3 × dead-after) instead.
 */
final class DeadTunnelBench {
    private static final int ROUNDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_DEAD_ROUNDS", "3"));

    private DeadTunnelBench() {
    }

    static List<Figure> figures() throws Exception {
        TunnelSettings defaults = TunnelSettings.DEFAULTS;
        try (TestBastion bastion = TestBastion.start(List.of()); HomeService home = HomeService.start("home")) {
            Figure reconnect = reconnectAfterSshdRestart(bastion, home);
            List<Double> ours = new ArrayList<>();
            List<Double> openssh = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                ours.add(silentDeath(bastion, home, round));
                openssh.add(opensshSilentDeath(bastion, home));
            }
            System.out.printf("silent death, home side: lifeline (keepalive %s x %d, bound %s) %s s; ssh -R ServerAlive 5 s x 3 %s s%n",
                    defaults.keepaliveInterval(), defaults.keepaliveMaxMisses(), defaults.deadPathBound(), ours, openssh);
            double worst = ours.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            return List.of(reconnect,
                    Figure.atMost("deadTunnel.homeSide", "dead tunnel noticed, home side (silent path), worst of " + ROUNDS, worst, "s", 6,
                            String.format("ssh -R ServerAlive 5 s × 3: median %.1f s (%.1f–%.1f)", median(openssh),
                                    openssh.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                                    openssh.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN))));
        }
    }

    private static Figure reconnectAfterSshdRestart(TestBastion bastion, HomeService home) throws Exception {
        SupervisorConfig config = bastion.config(bastion.sshPort(), home.port(), null, 0);
        try (TunnelSupervisor s = TunnelSupervisor.start(config.tunnelPlan(), TunnelListener.NONE, Clock.systemUTC(), new Random(2))) {
            Await.until("tunnel up", Duration.ofSeconds(15), () -> "home".equals(Http.get(bastion.tunnelPort(0))));
            Thread.sleep(11_000); // healthy past healthyAfter (10 s): its loss is retried at once
            bastion.stopSshd();
            bastion.startSshd();
            Instant answering = Instant.now();
            Await.until("tunnel back", Duration.ofSeconds(60), () -> "home".equals(Http.get(bastion.tunnelPort(0))));
            double seconds = Duration.between(answering, Instant.now()).toMillis() / 1000.0;
            System.out.printf("reconnect after sshd restart (default timings): %.2f s after sshd answered%n", seconds);
            return Figure.atMost("reconnect.sshdRestart", "reconnect after sshd restart", seconds, "s", 1, "");
        }
    }

    /** Seconds from the freeze to the tunnel's DOWN (the listener's event, not a poll). */
    private static double silentDeath(TestBastion bastion, HomeService home, int round) throws Exception {
        ConcurrentLinkedQueue<Instant> down = new ConcurrentLinkedQueue<>();
        TunnelListener listener = new TunnelListener() {
            @Override
            public void stateChanged(TunnelState state) {
                if (state.status() == TunnelState.Status.DOWN) {
                    down.add(Instant.now());
                }
            }
        };
        try (FreezableProxy path = new FreezableProxy(bastion.sshPort())) {
            SupervisorConfig config = bastion.config(path.port(), home.port(), null, 0);
            try (TunnelSupervisor s = TunnelSupervisor.start(config.tunnelPlan(), listener, Clock.systemUTC(), new Random(3 + round))) {
                Await.until("tunnel up", Duration.ofSeconds(30), () -> "home".equals(Http.get(bastion.tunnelPort(0))));
                Thread.sleep(2000 + 370L * round); // a few keepalive rounds, and a different phase each round
                Instant frozen = Instant.now();
                path.freeze();
                Await.until("dead path noticed", Duration.ofSeconds(40), () -> !down.isEmpty());
                return Duration.between(frozen, down.peek()).toMillis() / 1000.0;
            } finally {
                freeListener(bastion, TestUsers.TUNNEL1, bastion.tunnelPort(0));
            }
        }
    }

    /** Seconds from the freeze to ssh's exit ("Timeout, server not responding"). */
    private static double opensshSilentDeath(TestBastion bastion, HomeService home) throws Exception {
        try (FreezableProxy path = new FreezableProxy(bastion.sshPort())) {
            Path knownHosts = bastion.root().write("/bench/known_hosts-" + path.port(),
                    bastion.spec().hostKey().knownHostsLine("127.0.0.1", path.port()) + "\n", "0644");
            OpenSshClient ssh = new OpenSshClient(bastion.key(0), knownHosts, path.port());
            int port = bastion.tunnelPort(0);
            try (var t = ssh.background(TestUsers.TUNNEL1, List.of("-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3",
                    "-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:" + port + ":127.0.0.1:" + home.port()),
                    bastion.root().path("/bench/ssh-dead.log"))) {
                Await.until("ssh -R up", Duration.ofSeconds(30), () -> "home".equals(Http.get(port)));
                Thread.sleep(2000);
                Instant frozen = Instant.now();
                path.freeze();
                if (!t.exitsWithin(60_000)) {
                    throw new IllegalStateException("ssh -R did not give up within 60 s of the freeze: " + t.output());
                }
                return Duration.between(frozen, Instant.now()).toMillis() / 1000.0;
            } finally {
                freeListener(bastion, TestUsers.TUNNEL1, port);
            }
        }
    }

    /**
     * The bastion still holds the frozen session's listener (freeing it is part 4's watchdog): its session process is
     * ended here, as that watchdog would, so the next round can bind the port.
     */
    private static void freeListener(TestBastion bastion, String user, int port) {
        try {
            bastion.sshd().killSessionsOf(user);
        } catch (IllegalStateException noSession) {
            // already gone
        }
        Await.until("port " + port + " free", Duration.ofSeconds(15), () -> Http.get(port) == null);
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.isEmpty() ? Double.NaN : s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }
}
