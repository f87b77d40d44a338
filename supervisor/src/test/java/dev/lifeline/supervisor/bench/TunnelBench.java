package dev.lifeline.supervisor.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.lifeline.supervisor.config.SshSection;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.testing.Await;
import dev.lifeline.supervisor.testing.Http;
import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.templates.testing.OpenSshClient;
import dev.lifeline.templates.testing.TestUsers;

/**
 * ci/bench.sh throughput, footprint: figures, not pass/fail. Throughput of a MINA tunnel against OpenSSH's ssh -R into the same
 * rendered sshd, and the supervisor's RSS and idle CPU (dead-tunnel is {@link DeadTunnelBench}).
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

    /** The supervisor process with two tunnels: idle RSS and CPU, RSS after a burst. */
    static List<Figure> footprint() throws Exception {
        long bytes = Long.parseLong(System.getenv().getOrDefault("BENCH_MB", "1024")) * MB;
        try (TestBastion bastion = TestBastion.start(List.of()); DataSource source = new DataSource(bytes)) {
            return footprint(bastion, source, bytes);
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

    private static List<Figure> footprint(TestBastion bastion, DataSource source, long bytes) throws Exception {
        Path dir = Files.createTempDirectory("lifeline-bench");
        SupervisorConfig config = bastion.config(bastion.sshPort(), source.port(), null, 0, 1);
        try (SupervisorProcess p = SupervisorProcess.start(config, dir)) {
            Await.until("two tunnels up", Duration.ofSeconds(30), () -> canConnect(bastion.tunnelPort(0))
                    && canConnect(bastion.tunnelPort(1)));
            Thread.sleep(20_000);
            long ticks0 = cpuTicks(p.pid());
            long t0 = System.nanoTime();
            Thread.sleep(30_000);
            long ticks1 = cpuTicks(p.pid());
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (ticks1 - ticks0) / 100.0 / seconds * 100;
            long idleRss = rssKb(p.pid()) / 1024;
            System.out.printf("supervisor, 2 tunnels, idle, JVM flags %s: RSS %d MB, CPU %.2f %% of a core over %.0f s%n",
                    SupervisorProcess.JVM_FLAGS, idleRss, cpu, seconds);
            double mbps = DataSource.pull(bastion.tunnelPort(0), bytes);
            long afterBurst = rssKb(p.pid()) / 1024;
            Thread.sleep(30_000);
            System.out.printf("  after pulling %d MB through it (%.0f MB/s, cold): RSS %d MB; 30 s later %d MB%n",
                    bytes / MB, mbps, afterBurst, rssKb(p.pid()) / 1024);
            return List.of(Figure.atMost("footprint.idleRss", "RSS, 2 tunnels idle", idleRss, "MB", 48, "ssh -N -R 8.2 MB (documented)"),
                    Figure.atMost("footprint.burstRss", "RSS after " + bytes / MB + " MB through a tunnel", afterBurst, "MB", 96, ""),
                    Figure.atMost("footprint.idleCpu", "CPU, 2 tunnels idle", cpu, "%", 1, ""));
        }
    }

    /** utime + stime in clock ticks (USER_HZ, 100 on Linux). */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static String aesIntrinsics() {
        var hs = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        return hs.getVMOption("UseAES").getValue();
    }
}
