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
                double mina = median(p.ofA(PullCost::mbps));
                double openssh = median(p.ofB(PullCost::mbps));
                double minaCpu = median(p.ofA(PullCost::clientCpu));
                double opensshCpu = median(p.ofB(PullCost::clientCpu));
                System.out.printf("%-32s median MINA %4.0f MB/s, OpenSSH %4.0f MB/s = %.2f×   MINA %s   OpenSSH %s%n",
                        cipher, mina, openssh, mina / openssh, list(p.ofA(PullCost::mbps)), list(p.ofB(PullCost::mbps)));
                System.out.printf("%-32s CPU s per GB, client process: MINA %.2f (kernel %.2f), OpenSSH %.2f (kernel %.2f)"
                        + "   MINA %s   OpenSSH %s%n", "", minaCpu, median(p.ofA(PullCost::clientSys)), opensshCpu, median(p.ofB(PullCost::clientSys)),
                        list2(p.ofA(PullCost::clientCpu)), list2(p.ofB(PullCost::clientCpu)));
                String anchor = String.format(Locale.ROOT, "OpenSSH ssh -R %.0f MB/s (MINA %.0f)", openssh, mina);
                String label = "throughput vs OpenSSH, " + cipher;
                String key = "throughput." + cipher;
                out.add(cipher.startsWith("aes128-gcm") ? Figure.atLeast(key, label, mina / openssh, "×", 0.95, anchor)
                        : cipher.startsWith("chacha20") ? Figure.atLeast(key, label, mina / openssh, "×", 0.8, anchor)
                        : Figure.info(key, label, mina / openssh, "×", anchor));
                out.add(Figure.info("throughput.cpuPerGB." + cipher, "client CPU per GB, " + cipher, minaCpu, "s",
                        String.format(Locale.ROOT, "OpenSSH ssh %.2f s", opensshCpu)));
                Pair stock = stockMinaSideBySide(bastion, source, cipher, bytes);
                double stockMina = median(stock.ofA(PullCost::mbps));
                double stockOpenssh = median(stock.ofB(PullCost::mbps));
                System.out.printf("%-32s MINA's stock client: median %4.0f MB/s, OpenSSH %4.0f MB/s = %.2f×, CPU s per GB %.2f   %s%n",
                        cipher, stockMina, stockOpenssh, stockMina / stockOpenssh, median(stock.ofA(PullCost::clientCpu)), list(stock.ofA(PullCost::mbps)));
                out.add(Figure.info("throughput.stockMina." + cipher, "MINA's stock client vs OpenSSH, " + cipher + " (the floor)",
                        stockMina / stockOpenssh, "×", String.format(Locale.ROOT, "OpenSSH %.0f MB/s (MINA stock %.0f, %.2f s/GB)",
                                stockOpenssh, stockMina, median(stock.ofA(PullCost::clientCpu)))));
            }
        }
        return out;
    }

    /** What each side's pulls measured, in pull order. */
    private record Pair(List<PullCost> a, List<PullCost> b) {
        /** One figure of each of A's pulls (the MINA side: lifeline, or the stock client), or of B's (OpenSSH, or B). */
        List<Double> ofA(java.util.function.ToDoubleFunction<PullCost> figure) {
            return a.stream().map(figure::applyAsDouble).toList();
        }

        List<Double> ofB(java.util.function.ToDoubleFunction<PullCost> figure) {
            return b.stream().map(figure::applyAsDouble).toList();
        }

        /** Where the machine's two cores went, per side: the client, sshd, this JVM (source and sink), idle. */
        void printWhereTheCpuWent(String cipher, String nameA, String nameB) {
            System.out.printf("%-32s CPU s per GB, median: %s; %s%n", "", cpu(nameA, a), cpu(nameB, b));
            System.out.printf("%-32s per MB, median: %s; %s%n", "", calls(nameA, a), calls(nameB, b));
        }

        private static String cpu(String name, List<PullCost> side) {
            return String.format(Locale.ROOT, "%s client %.2f, sshd %.2f, source+sink %.2f, machine idle %.0f %%", name,
                    median(side, PullCost::clientCpu), median(side, PullCost::sshdCpu), median(side, PullCost::benchCpu),
                    median(side, PullCost::idlePercent));
        }

        private static String calls(String name, List<PullCost> side) {
            return String.format(Locale.ROOT, "%s client %.1f reads, %.1f writes, %.1f switches; sshd %.1f reads, %.1f writes,"
                            + " %.1f switches", name, median(side, c -> c.client().reads()), median(side, c -> c.client().writes()),
                    median(side, c -> c.client().switches()), median(side, c -> c.sshd().reads()), median(side, c -> c.sshd().writes()),
                    median(side, c -> c.sshd().switches()));
        }

        private static double median(List<PullCost> xs, java.util.function.ToDoubleFunction<PullCost> f) {
            return ThroughputBench.median(xs.stream().map(f::applyAsDouble).toList());
        }
    }

    /**
     * One pull: MB/s, and the CPU seconds per GB of its client process (supervisor or ssh; of it, kernel), of sshd (all
     * its session processes: the other tunnel's is idle), of this JVM (the data source and the sink), and the share of
     * the machine's CPU time left idle. On this 2-core machine the four compete, so a client that costs more also
     * slows sshd; this says where the time went.
     */
    private record PullCost(double mbps, double clientCpu, double clientSys, double sshdCpu, double benchCpu,
                            double idlePercent, Calls client, Calls sshd) {
    }

    /** Read and write system calls and context switches per MB forwarded. */
    private record Calls(double reads, double writes, double switches) {
        static Calls between(long[] before, long[] after, double mb) {
            return new Calls((after[0] - before[0]) / mb, (after[1] - before[1]) / mb, (after[2] - before[2]) / mb);
        }
    }

    private static Pair sideBySide(TestBastion bastion, DataSource source, String cipher, long bytes) throws Exception {
        SshSection ssh = new SshSection(null, null, null, null, null, null, null, null, List.of(cipher));
        SupervisorConfig config = bastion.config(bastion.sshPort(), source.port(), ssh, 0);
        Path dir = Files.createTempDirectory("lifeline-bench");
        try (SupervisorProcess p = SupervisorProcess.start(config, dir)) {
            return againstOpenSsh(bastion, source, cipher, bytes, p.pid(), "MINA");
        }
    }

    /**
     * MINA SSHD's stock client ({@link BareMinaTunnels}: its own forwarding, nothing of lifeline's, the same jar and JVM
     * flags) against OpenSSH the same way: the floor lifeline's own code started from.
     */
    private static Pair stockMinaSideBySide(TestBastion bastion, DataSource source, String cipher, long bytes) throws Exception {
        Await.until("the supervisor's tunnel port free", Duration.ofSeconds(30), () -> !canConnect(bastion.tunnelPort(0)));
        Process stock = BareMinaTunnels.start(SupervisorProcess.jar(), SupervisorProcess.JVM_FLAGS, cipher, bastion, source.port(),
                Files.createTempFile("lifeline-bench-stock-mina", ".log"), 0);
        try {
            return againstOpenSsh(bastion, source, cipher, bytes, stock.pid(), "MINA stock");
        } finally {
            dev.lifeline.templates.testing.Daemons.stop(stock);
        }
    }

    /** The client process {@code clientPid} on the bastion's first tunnel against {@code ssh -R} on its second, interleaved. */
    private static Pair againstOpenSsh(TestBastion bastion, DataSource source, String cipher, long bytes, long clientPid, String name)
            throws Exception {
        Path knownHosts = bastion.root().write("/bench/known_hosts",
                bastion.spec().hostKey().knownHostsLine("127.0.0.1", bastion.sshPort()) + "\n", "0644");
        OpenSshClient client = new OpenSshClient(bastion.key(1), knownHosts, bastion.sshPort());
        int opensshPort = bastion.tunnelPort(1);
        try (var openssh = client.background(TestUsers.TUNNEL2, List.of("-c", cipher, "-o", "ExitOnForwardFailure=yes",
                     "-R", "127.0.0.1:" + opensshPort + ":127.0.0.1:" + source.port()), bastion.root().path("/bench/ssh.log"))) {
            Pair pair = interleave(new Side(bastion.tunnelPort(0), clientPid), new Side(opensshPort, openssh.process().pid()),
                    bastion.sshd().pid(), bytes);
            pair.printWhereTheCpuWent(cipher, name, "OpenSSH");
            return pair;
        } finally {
            Await.until("the tunnel ports free", Duration.ofSeconds(30), () -> !canConnect(opensshPort));
        }
    }

    /** A tunnel's port on the bastion and the PID of the client process behind it. */
    private record Side(int port, long pid) {
    }

    private static Pair interleave(Side a, Side b, long sshdPid, long bytes) throws Exception {
        Await.until("tunnel on " + a.port() + " up", Duration.ofSeconds(30), () -> canConnect(a.port()));
        Await.until("tunnel on " + b.port() + " up", Duration.ofSeconds(30), () -> canConnect(b.port()));
        for (int i = 0; i < WARM_UP; i++) {
            DataSource.pull(a.port(), bytes);
            DataSource.pull(b.port(), bytes);
        }
        Pair pair = new Pair(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < RUNS; i++) {
            pair.a().add(pull(a.port(), bytes, a.pid(), sshdPid));
            pair.b().add(pull(b.port(), bytes, b.pid(), sshdPid));
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
                    Pair p = interleave(new Side(bastion.tunnelPort(0), a.pid()), new Side(bastion.tunnelPort(1), b.pid()),
                            bastion.sshd().pid(), bytes);
                    double ma = median(p.ofA(PullCost::mbps));
                    double mb = median(p.ofB(PullCost::mbps));
                    System.out.printf("%-32s median A %4.0f MB/s, B %4.0f MB/s = B/A %.2f   A %s   B %s%n", cipher, ma, mb, mb / ma,
                            list(p.ofA(PullCost::mbps)), list(p.ofB(PullCost::mbps)));
                    System.out.printf("%-32s CPU s per GB: A %.2f (kernel %.2f), B %.2f (kernel %.2f)   A %s   B %s%n", "",
                            median(p.ofA(PullCost::clientCpu)), median(p.ofA(PullCost::clientSys)), median(p.ofB(PullCost::clientCpu)), median(p.ofB(PullCost::clientSys)),
                            list2(p.ofA(PullCost::clientCpu)), list2(p.ofB(PullCost::clientCpu)));
                    p.printWhereTheCpuWent(cipher, "A", "B");
                    out.add(Figure.info("throughputAB." + cipher, "B/A, " + cipher, mb / ma, "×",
                            String.format(Locale.ROOT, "A %.0f MB/s %.2f s/GB, B %.0f MB/s %.2f s/GB", ma, median(p.ofA(PullCost::clientCpu)),
                                    mb, median(p.ofB(PullCost::clientCpu)))));
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
     * One pull, and the CPU time around it: unlike MB/s, CPU per byte hardly moves when other jobs load the machine, so
     * it tells the cost apart from the load.
     */
    private static PullCost pull(int port, long bytes, long clientPid, long sshdPid) throws Exception {
        Counters before = Counters.now(clientPid, sshdPid);
        double mbps = DataSource.pull(port, bytes);
        Counters after = Counters.now(clientPid, sshdPid);
        double mb = bytes / 1e6;
        double gb = bytes / 1e9;
        long busy = after.machine()[0] - before.machine()[0];
        long idle = after.machine()[1] - before.machine()[1];
        return new PullCost(mbps, (after.client()[0] + after.client()[1] - before.client()[0] - before.client()[1]) / 100.0 / gb,
                (after.client()[1] - before.client()[1]) / 100.0 / gb, (after.sshd() - before.sshd()) / 100.0 / gb,
                (after.bench() - before.bench()) / 100.0 / gb, 100.0 * idle / Math.max(1, busy + idle),
                Calls.between(before.clientCalls(), after.clientCalls(), mb), Calls.between(before.sshdCalls(), after.sshdCalls(), mb));
    }

    /**
     * What /proc counts at one moment: the client's user and system ticks, sshd's and this JVM's ticks, the machine's busy
     * and idle ticks, and the client's and sshd's read and write calls and context switches.
     */
    private record Counters(long[] client, long sshd, long bench, long[] machine, long[] clientCalls, long[] sshdCalls) {
        static Counters now(long clientPid, long sshdPid) throws java.io.IOException {
            return new Counters(ProcFs.userAndSystemTicks(clientPid), ProcFs.descendantsCpuTicks(sshdPid),
                    ProcFs.cpuTicks(ProcessHandle.current().pid()), ProcFs.machineBusyAndIdleTicks(),
                    ProcFs.readsWritesSwitches(clientPid), ProcFs.readsWritesSwitches(sshdPid));
        }
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
