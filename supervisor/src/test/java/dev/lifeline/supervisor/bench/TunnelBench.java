package dev.lifeline.supervisor.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.testing.Await;
import dev.lifeline.supervisor.testing.FreezableProxy;
import dev.lifeline.supervisor.testing.Http;
import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.supervisor.tunnel.SshSection;
import dev.lifeline.supervisor.tunnel.TunnelListener;
import dev.lifeline.supervisor.tunnel.TunnelSupervisor;
import dev.lifeline.templates.testing.HomeService;
import dev.lifeline.templates.testing.OpenSshClient;
import dev.lifeline.templates.testing.TestUsers;

/**
 * ci/bench.sh dead-tunnel: figures, not pass/fail. Reconnect and dead-path times with the default timings
 * (throughput is {@link ThroughputBench}, the footprint {@link FootprintBench}).
 */
public final class TunnelBench {
    private static final long MB = 1_000_000;

    private TunnelBench() {
    }

    /** Reconnect after an sshd restart and a silently dead path, with the default timings. */
    static List<Figure> deadTunnel() throws Exception {
        try (TestBastion bastion = TestBastion.start(List.of()); HomeService home = HomeService.start("home")) {
            return List.of(reconnectAfterSshdRestart(bastion, home), silentDeath(bastion, home));
        }
    }

    private static boolean canConnect(int port) {
        try (var s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (java.io.IOException e) {
            return false;
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

    private static Figure silentDeath(TestBastion bastion, HomeService home) throws Exception {
        try (FreezableProxy path = new FreezableProxy(bastion.sshPort())) {
            SupervisorConfig config = bastion.config(path.port(), home.port(), null, 0);
            try (TunnelSupervisor s = TunnelSupervisor.start(config.tunnelPlan(), TunnelListener.NONE, Clock.systemUTC(), new Random(3))) {
                Await.until("tunnel up", Duration.ofSeconds(15), () -> "home".equals(Http.get(bastion.tunnelPort(0))));
                path.freeze();
                Duration noticed = Await.until("dead path noticed", Duration.ofSeconds(40), () -> !s.states().get(0).isUp());
                Duration back = Await.until("tunnel back", Duration.ofSeconds(90), () -> "home".equals(Http.get(bastion.tunnelPort(0))));
                System.out.printf("silent death (keepalive 5 s x 3): noticed after %.1f s; serving again %.1f s later"
                        + " (the bastion held the old listener until its ClientAlive check dropped it)%n",
                        noticed.toMillis() / 1000.0, back.toMillis() / 1000.0);
                return Figure.atMost("deadTunnel.homeSide", "dead tunnel noticed, home side (silent path)", noticed.toMillis() / 1000.0,
                        "s", 6, "ssh ServerAlive 5 s × 3: 15–19 s (documented)");
            }
        }
    }
}
