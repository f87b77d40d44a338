package dev.lifeline.supervisor.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.lifeline.supervisor.config.SshSection;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.testing.Await;
import dev.lifeline.supervisor.testing.FreezableProxy;
import dev.lifeline.supervisor.testing.Http;
import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.supervisor.tunnel.TunnelListener;
import dev.lifeline.supervisor.tunnel.TunnelSupervisor;
import dev.lifeline.templates.testing.HomeService;
import dev.lifeline.templates.testing.OpenSshClient;
import dev.lifeline.templates.testing.TestUsers;

/**
 * ci/bench.sh throughput, dead-tunnel: figures, not pass/fail. Throughput of a MINA tunnel against OpenSSH's ssh -R into the same
 * rendered sshd, and reconnect and dead-path times with the default timings (the footprint is {@link FootprintBench}).
 */
public final class TunnelBench {
    private static final long MB = 1_000_000;
    private static final List<String> CIPHERS = System.getenv("BENCH_CIPHERS") == null
            ? List.of("aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com", "aes128-ctr")
            : List.of(System.getenv("BENCH_CIPHERS").split(","));

    private TunnelBench() {
    }

    /** MINA against OpenSSH's ssh -R, per cipher, into the same rendered sshd. */
    static List<Figure> throughput() throws Exception {
        long megabytes = Long.parseLong(System.getenv().getOrDefault("BENCH_MB", "1024"));
        long bytes = megabytes * MB;
        System.out.printf("%d MB per run, JVM %s, AES intrinsics %s%n", megabytes, Runtime.version(), aesIntrinsics());
        List<Figure> out = new ArrayList<>();
        try (TestBastion bastion = TestBastion.start(List.of()); DataSource source = new DataSource(bytes)) {
            for (String cipher : CIPHERS) {
                double mina = minaThroughput(bastion, source, cipher, bytes);
                double openssh = opensshThroughput(bastion, source, cipher, bytes);
                System.out.printf("%-32s MINA %6.0f MB/s, OpenSSH %6.0f MB/s%n", cipher, mina, openssh);
                String anchor = String.format("OpenSSH ssh -R %.0f MB/s", openssh);
                String label = "throughput vs OpenSSH, " + cipher;
                out.add(cipher.startsWith("aes128-gcm") ? Figure.atLeast("throughput." + cipher, label, mina / openssh, "×", 0.95, anchor)
                        : cipher.startsWith("chacha20") ? Figure.atLeast("throughput." + cipher, label, mina / openssh, "×", 0.8, anchor)
                        : Figure.info("throughput." + cipher, label, mina / openssh, "×", anchor));
            }
        }
        return out;
    }

    /** Reconnect after an sshd restart and a silently dead path, with the default timings. */
    static List<Figure> deadTunnel() throws Exception {
        try (TestBastion bastion = TestBastion.start(List.of()); HomeService home = HomeService.start("home")) {
            return List.of(reconnectAfterSshdRestart(bastion, home), silentDeath(bastion, home));
        }
    }

    /** The real supervisor process with the systemd unit's JVM flags, not a tunnel inside this JVM. */
    private static double minaThroughput(TestBastion bastion, DataSource source, String cipher, long bytes) throws Exception {
        SshSection ssh = new SshSection(null, null, null, null, null, null, null, null, List.of(cipher));
        SupervisorConfig config = bastion.config(bastion.sshPort(), source.port(), ssh, 0);
        Path dir = Files.createTempDirectory("lifeline-bench");
        try (SupervisorProcess p = SupervisorProcess.start(config, dir)) {
            Await.until("tunnel up", Duration.ofSeconds(30), () -> canConnect(bastion.tunnelPort(0)));
            DataSource.pull(bastion.tunnelPort(0), bytes); // JIT warm-up: the first gigabyte runs cold
            return DataSource.pull(bastion.tunnelPort(0), bytes);
        }
    }

    private static double opensshThroughput(TestBastion bastion, DataSource source, String cipher, long bytes) throws Exception {
        Path knownHosts = bastion.root().write("/bench/known_hosts",
                bastion.spec().hostKey().knownHostsLine("127.0.0.1", bastion.sshPort()) + "\n", "0644");
        OpenSshClient ssh = new OpenSshClient(bastion.key(0), knownHosts, bastion.sshPort());
        int port = bastion.tunnelPort(0);
        Await.until("the MINA tunnel's listener is gone", Duration.ofSeconds(15), () -> Http.get(port) == null);
        try (var t = ssh.background(TestUsers.TUNNEL1, List.of("-c", cipher, "-o", "ExitOnForwardFailure=yes",
                "-R", "127.0.0.1:" + port + ":127.0.0.1:" + source.port()), bastion.root().path("/bench/ssh.log"))) {
            Await.until("ssh -R up", Duration.ofSeconds(15), () -> canConnect(port));
            DataSource.pull(port, bytes);
            return DataSource.pull(port, bytes);
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

    private static String aesIntrinsics() {
        var hs = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        return hs.getVMOption("UseAES").getValue();
    }
}
