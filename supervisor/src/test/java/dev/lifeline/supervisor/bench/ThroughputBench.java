package dev.lifeline.supervisor.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.supervisor.tunnel.SshSection;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.OpenSshClient;
import dev.lifeline.templates.testing.TestUsers;

/**
 * ci/bench.sh throughput: the supervisor process (lifeline.jar with the launcher's JVM flags) against OpenSSH's
 * {@code ssh -R}, per cipher, into the same rendered sshd. Both tunnels stay up side by side (MINA on the bastion's
 * first tunnel port, ssh on the second) and the pulls alternate, MINA, OpenSSH, MINA, OpenSSH …, so a burst of load
 * from elsewhere on the machine hits both alike; the figure is the ratio of the medians.
 */
final class ThroughputBench {
    private static final long MB = 1_000_000;
    private static final List<String> CIPHERS = System.getenv("BENCH_CIPHERS") == null
            ? List.of("aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com", "aes128-ctr")
            : List.of(System.getenv("BENCH_CIPHERS").split(","));
    private static final int RUNS = Integer.parseInt(System.getenv().getOrDefault("BENCH_RUNS", "5"));
    /** Pulls per side before the measured ones: the supervisor runs C2 only (-XX:-TieredCompilation), slow to warm. */
    private static final int WARM_UP = 2;

    private ThroughputBench() {
    }

    static List<Figure> figures() throws Exception {
        long megabytes = Long.parseLong(System.getenv().getOrDefault("BENCH_MB", "512"));
        long bytes = megabytes * MB;
        System.out.printf("%d MB per pull, %d warm-up + %d measured pulls per side, interleaved; JVM %s, AES intrinsics %s,"
                + " supervisor JVM flags %s%n", megabytes, WARM_UP, RUNS, Runtime.version(), aesIntrinsics(), SupervisorProcess.JVM_FLAGS);
        List<Figure> out = new ArrayList<>();
        try (TestBastion bastion = TestBastion.start(List.of()); DataSource source = new DataSource(bytes)) {
            for (String cipher : CIPHERS) {
                Pair p = sideBySide(bastion, source, cipher, bytes);
                double mina = median(p.mina());
                double openssh = median(p.openssh());
                double minaCpu = median(p.minaCpu());
                double opensshCpu = median(p.opensshCpu());
                System.out.printf("%-32s median MINA %4.0f MB/s, OpenSSH %4.0f MB/s = %.2f×   MINA %s   OpenSSH %s%n",
                        cipher, mina, openssh, mina / openssh, list(p.mina()), list(p.openssh()));
                System.out.printf("%-32s CPU s per GB, client process: MINA %.2f (kernel %.2f), OpenSSH %.2f (kernel %.2f)"
                        + "   MINA %s   OpenSSH %s%n", "", minaCpu, median(p.minaSys()), opensshCpu, median(p.opensshSys()),
                        list2(p.minaCpu()), list2(p.opensshCpu()));
                String anchor = String.format(Locale.ROOT, "OpenSSH ssh -R %.0f MB/s (MINA %.0f)", openssh, mina);
                String label = "throughput vs OpenSSH, " + cipher;
                String key = "throughput." + cipher;
                out.add(cipher.startsWith("aes128-gcm") ? Figure.atLeast(key, label, mina / openssh, "×", 0.95, anchor)
                        : cipher.startsWith("chacha20") ? Figure.atLeast(key, label, mina / openssh, "×", 0.8, anchor)
                        : Figure.info(key, label, mina / openssh, "×", anchor));
                out.add(Figure.info("throughput.cpuPerGB." + cipher, "client CPU per GB, " + cipher, minaCpu, "s",
                        String.format(Locale.ROOT, "OpenSSH ssh %.2f s", opensshCpu)));
            }
        }
        return out;
    }

    /** MB/s of each pull, and the CPU seconds per GB its client process (supervisor or ssh) spent on it. */
    private record Pair(List<Double> mina, List<Double> openssh, List<Double> minaCpu, List<Double> opensshCpu,
                        List<Double> minaSys, List<Double> opensshSys) {
    }

    private static Pair sideBySide(TestBastion bastion, DataSource source, String cipher, long bytes) throws Exception {
        SshSection ssh = new SshSection(null, null, null, null, null, null, null, null, List.of(cipher));
        SupervisorConfig config = bastion.config(bastion.sshPort(), source.port(), ssh, 0);
        Path dir = Files.createTempDirectory("lifeline-bench");
        Path knownHosts = bastion.root().write("/bench/known_hosts",
                bastion.spec().hostKey().knownHostsLine("127.0.0.1", bastion.sshPort()) + "\n", "0644");
        OpenSshClient client = new OpenSshClient(bastion.key(1), knownHosts, bastion.sshPort());
        int opensshPort = bastion.tunnelPort(1);
        try (SupervisorProcess p = SupervisorProcess.start(config, dir);
             var openssh = client.background(TestUsers.TUNNEL2, List.of("-c", cipher, "-o", "ExitOnForwardFailure=yes",
                     "-R", "127.0.0.1:" + opensshPort + ":127.0.0.1:" + source.port()), bastion.root().path("/bench/ssh.log"))) {
            return interleave(new Side(bastion.tunnelPort(0), p.pid()), new Side(opensshPort, openssh.process().pid()), bytes);
        }
    }

    /** A tunnel's port on the bastion and the PID of the client process behind it. */
    private record Side(int port, long pid) {
    }

    private static Pair interleave(Side a, Side b, long bytes) throws Exception {
        Await.until("tunnel on " + a.port() + " up", Duration.ofSeconds(30), () -> canConnect(a.port()));
        Await.until("tunnel on " + b.port() + " up", Duration.ofSeconds(30), () -> canConnect(b.port()));
        for (int i = 0; i < WARM_UP; i++) {
            DataSource.pull(a.port(), bytes);
            DataSource.pull(b.port(), bytes);
        }
        Pair pair = new Pair(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        for (int i = 0; i < RUNS; i++) {
            pull(a.port(), bytes, a.pid(), pair.mina(), pair.minaCpu(), pair.minaSys());
            pull(b.port(), bytes, b.pid(), pair.openssh(), pair.opensshCpu(), pair.opensshSys());
        }
        return pair;
    }

    /**
     * ci/bench.sh throughput-ab: two supervisor processes side by side, interleaved as above, to measure one change
     * (a JVM flag, a MINA property as -Dorg.apache.sshd.config.NAME=VALUE, another build) against the current build:
     * A is lifeline.jar (or BENCH_AB_JAR_A, e.g. a copy of main's build) with the launcher's flags (plus
     * BENCH_AB_FLAGS_A), B adds BENCH_AB_FLAGS and runs BENCH_AB_JAR when set. Figures without a target: B's MB/s over
     * A's.
     */
    static List<Figure> abFigures() throws Exception {
        long bytes = Long.parseLong(System.getenv().getOrDefault("BENCH_MB", "512")) * MB;
        List<String> flagsA = withExtra(System.getenv("BENCH_AB_FLAGS_A"));
        List<String> flagsB = withExtra(System.getenv("BENCH_AB_FLAGS"));
        Path jarA = System.getenv("BENCH_AB_JAR_A") == null ? SupervisorProcess.jar() : Path.of(System.getenv("BENCH_AB_JAR_A"));
        Path jarB = System.getenv("BENCH_AB_JAR") == null ? SupervisorProcess.jar() : Path.of(System.getenv("BENCH_AB_JAR"));
        System.out.printf("A: %s %s%nB: %s %s%n", jarA, flagsA, jarB, flagsB);
        List<Figure> out = new ArrayList<>();
        try (TestBastion bastion = TestBastion.start(List.of()); DataSource source = new DataSource(bytes)) {
            for (String cipher : CIPHERS) {
                SshSection ssh = new SshSection(null, null, null, null, null, null, null, null, List.of(cipher));
                try (SupervisorProcess a = SupervisorProcess.start(bastion.config(bastion.sshPort(), source.port(), ssh, 0),
                        Files.createTempDirectory("lifeline-bench-a"), jarA, flagsA);
                     SupervisorProcess b = SupervisorProcess.start(bastion.config(bastion.sshPort(), source.port(), ssh, 1),
                             Files.createTempDirectory("lifeline-bench-b"), jarB, flagsB)) {
                    Pair p = interleave(new Side(bastion.tunnelPort(0), a.pid()), new Side(bastion.tunnelPort(1), b.pid()), bytes);
                    double ma = median(p.mina());
                    double mb = median(p.openssh());
                    System.out.printf("%-32s median A %4.0f MB/s, B %4.0f MB/s = B/A %.2f   A %s   B %s%n", cipher, ma, mb, mb / ma,
                            list(p.mina()), list(p.openssh()));
                    System.out.printf("%-32s CPU s per GB: A %.2f (kernel %.2f), B %.2f (kernel %.2f)   A %s   B %s%n", "",
                            median(p.minaCpu()), median(p.minaSys()), median(p.opensshCpu()), median(p.opensshSys()),
                            list2(p.minaCpu()), list2(p.opensshCpu()));
                    out.add(Figure.info("throughputAB." + cipher, "B/A, " + cipher, mb / ma, "×",
                            String.format(Locale.ROOT, "A %.0f MB/s %.2f s/GB, B %.0f MB/s %.2f s/GB", ma, median(p.minaCpu()),
                                    mb, median(p.opensshCpu()))));
                }
            }
        }
        return out;
    }

    private static List<String> withExtra(String extra) {
        List<String> flags = new ArrayList<>(SupervisorProcess.JVM_FLAGS);
        if (extra != null && !extra.isBlank()) {
            flags.addAll(List.of(extra.trim().split("\\s+")));
        }
        return flags;
    }

    /**
     * One pull, and the client's CPU time over it: unlike MB/s, CPU per byte hardly moves when other jobs load the
     * machine, so it tells the cost apart from the load.
     */
    private static void pull(int port, long bytes, long clientPid, List<Double> mbps, List<Double> cpuPerGb, List<Double> sysPerGb)
            throws Exception {
        long[] before = cpuTicks(clientPid);
        mbps.add(DataSource.pull(port, bytes));
        long[] after = cpuTicks(clientPid);
        double gb = bytes / 1e9;
        cpuPerGb.add((after[0] + after[1] - before[0] - before[1]) / 100.0 / gb);
        sysPerGb.add((after[1] - before[1]) / 100.0 / gb);
    }

    /** {utime, stime} of all the process's threads in clock ticks (USER_HZ, 100 on Linux). */
    private static long[] cpuTicks(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String list(List<Double> xs) {
        return xs.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList().toString();
    }

    private static String list2(List<Double> xs) {
        return xs.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList().toString();
    }

    private static boolean canConnect(int port) {
        try (var s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String aesIntrinsics() {
        var hs = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        return hs.getVMOption("UseAES").getValue();
    }
}
