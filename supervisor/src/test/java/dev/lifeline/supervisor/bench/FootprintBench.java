package dev.lifeline.supervisor.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.lifeline.supervisor.testing.BuiltPackage;
import dev.lifeline.supervisor.testing.JvmOptions;
import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.Daemons;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.TestUsers;
import dev.lifeline.supervisor.tunnel.SshSection;
import dev.lifeline.templates.testing.Tools;

/**
 * ci/bench.sh footprint: the supervisor with two tunnels, run exactly as the .deb's unit starts it (the built package
 * unpacked, its /usr/bin/lifeline and its jvm.options): RSS and CPU idle, RSS after a 2 GiB burst; beside it, in the
 * same run and through the same sshd, OpenSSH's {@code ssh -N -R} and autossh keeping two such tunnels, and an empty
 * JVM with the same flags (the floor: what is the JVM's and what is ours).
 * <p>
 * Knobs: BENCH_FOOTPRINT_MIB (the burst, 2048), BENCH_JVM_FLAGS (replaces the package's flags, one word a flag),
 * BENCH_JVM_VARIANTS ("flags;flags;…": each is added to the package's flags and measured too, to compare knobs in one run),
 * BENCH_FOOTPRINT_BASE_DEB (another build's .deb: its idle RSS and this package's, interleaved BENCH_FOOTPRINT_ROUNDS times),
 * BENCH_FOOTPRINT_ALERTS=1 (the supervisor's config also has alert channels: SMS, mail, Telegram).
 */
final class FootprintBench {
    private static final long MIB = 1L << 20;
    private static final Duration SETTLE = Duration.ofSeconds(20);

    private FootprintBench() {
    }

    static List<Figure> figures() throws Exception {
        long bytes = Long.parseLong(System.getenv().getOrDefault("BENCH_FOOTPRINT_MIB", "2048")) * MIB;
        Path tree = BuiltPackage.unpack(Files.createTempDirectory("lifeline-footprint"));
        Path options = tree.resolve("usr/share/lifeline/jvm.options");
        if (System.getenv("BENCH_JVM_FLAGS") != null) {
            Files.writeString(options, String.join("\n", System.getenv("BENCH_JVM_FLAGS").trim().split("\\s+")) + "\n");
        }
        String shipped = Files.readString(options);
        System.out.printf("the package's /usr/bin/lifeline with its jvm.options: %s%n", JvmOptions.read(options));
        try (TestBastion bastion = TestBastion.start(List.of()); DataSource source = new DataSource(bytes)) {
            Anchor ssh = anchor(bastion, source, bytes, false);
            Anchor autossh = anchor(bastion, source, bytes, true);
            Memory floor = emptyJvm(options);
            System.out.printf("empty JVM (a main that sleeps), same flags: RSS %.1f MB, PSS %.1f MB, %d threads%n",
                    floor.rssMb(), floor.pssMb(), floor.threads());
            Memory bareMina = bareMina(tree, options, bastion, source, false);
            System.out.printf("MINA's stock client alone, 2 tunnels idle, same flags and jar: RSS %.1f MB, PSS %.1f MB, %d threads%n",
                    bareMina.rssMb(), bareMina.pssMb(), bareMina.threads());
            Memory bareMinaOnLoop = bareMina(tree, options, bastion, source, true);
            System.out.printf("the same on lifeline's I/O loop: RSS %.1f MB, PSS %.1f MB, %d threads%n",
                    bareMinaOnLoop.rssMb(), bareMinaOnLoop.pssMb(), bareMinaOnLoop.threads());
            Run run = lifeline(tree, bastion, source, bytes, true);
            List<Figure> out = new ArrayList<>(List.of(
                    Figure.atMost("footprint.idleRss", "RSS, 2 tunnels idle", run.idle().rssMb(), "MB", 48, String.format(
                            "ssh -N -R ×2 %.1f MB, autossh ×2 + their ssh %.1f MB", ssh.idle().rssMb(), autossh.idle().rssMb())),
                    Figure.info("footprint.idlePss", "PSS, 2 tunnels idle", run.idle().pssMb(), "MB",
                            String.format("ssh -N -R ×2 %.1f MB", ssh.idle().pssMb())),
                    Figure.info("footprint.emptyJvmRss", "RSS of an empty JVM, same flags (the floor)", floor.rssMb(), "MB", ""),
                    Figure.info("footprint.bareMinaRss", "RSS of MINA's stock client, 2 tunnels idle, same flags (a floor)",
                            bareMina.rssMb(), "MB", "no lifeline code: BareMinaTunnels"),
                    Figure.info("footprint.bareMinaLoopRss", "the same on lifeline's I/O loop (a floor)",
                            bareMinaOnLoop.rssMb(), "MB", "MINA's client, lifeline's tunnel.io, nothing else"),
                    Figure.atMost("footprint.burstRss", "RSS after " + bytes / MIB + " MiB through a tunnel", run.burst().rssMb(), "MB", 96,
                            String.format("ssh -N -R ×2 %.1f MB", ssh.burst().rssMb())),
                    Figure.info("footprint.burstRssLater", "RSS 10 s after the burst", run.later().rssMb(), "MB", ""),
                    Figure.info("footprint.burstMBps", "the burst's speed (cold JIT)", run.mbps(), "MB/s",
                            String.format("ssh -N -R %.0f MB/s", ssh.mbps())),
                    Figure.atMost("footprint.idleCpu", "CPU, 2 tunnels idle", run.cpuPercent(), "% of a core", 1,
                            String.format("ssh -N -R ×2 %.2f %%, autossh ×2 + ssh %.2f %%", ssh.cpuPercent(), autossh.cpuPercent()))));
            String baseDeb = System.getenv("BENCH_FOOTPRINT_BASE_DEB");
            if (baseDeb != null && !baseDeb.isBlank()) {
                out.addAll(against(Path.of(baseDeb), tree, bastion, source, bytes));
            }
            String variants = System.getenv("BENCH_JVM_VARIANTS");
            if (variants != null && !variants.isBlank()) {
                for (String variant : variants.split(";")) {
                    String flags = String.join("\n", variant.trim().split("\\s+"));
                    Files.writeString(options, shipped + flags + "\n");
                    Run v = lifeline(tree, bastion, source, bytes, true);
                    String key = "footprint.variant." + variant.trim().replaceAll("\\s+", " ");
                    out.add(Figure.info(key + ".idleCpu", "CPU idle, +" + variant.trim(), v.cpuPercent(), "% of a core", ""));
                    out.add(Figure.info(key + ".idleRss", "RSS idle, +" + variant.trim(), v.idle().rssMb(), "MB",
                            String.format("PSS %.1f MB, %d threads", v.idle().pssMb(), v.idle().threads())));
                    out.add(Figure.info(key + ".burstRss", "RSS after burst, +" + variant.trim(), v.burst().rssMb(), "MB",
                            String.format("%.0f MB/s", v.mbps())));
                }
                Files.writeString(options, shipped);
            }
            return out;
        }
    }

    /**
     * BENCH_FOOTPRINT_BASE_DEB: another build's package (the one before a change) and this one, idle, one after the other
     * BENCH_FOOTPRINT_ROUNDS times (2) under the same load: the medians of the idle RSS and CPU, to tell a change from the
     * machine's noise; a smaller BENCH_FOOTPRINT_MIB keeps the rounds short.
     */
    private static List<Figure> against(Path baseDeb, Path tree, TestBastion bastion, DataSource source, long burst) throws Exception {
        Path baseTree = BuiltPackage.unpack(baseDeb, Files.createTempDirectory("lifeline-footprint-base"));
        int rounds = Integer.parseInt(System.getenv().getOrDefault("BENCH_FOOTPRINT_ROUNDS", "2"));
        List<Double> base = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        List<Double> baseCpu = new ArrayList<>();
        List<Double> ourCpu = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            Run b = lifeline(baseTree, bastion, source, burst, true);
            Run o = lifeline(tree, bastion, source, burst, true);
            base.add(b.idle().rssMb());
            baseCpu.add(b.cpuPercent());
            ours.add(o.idle().rssMb());
            ourCpu.add(o.cpuPercent());
        }
        System.out.printf("idle RSS, interleaved: %s %s, this package %s; idle CPU %% %s, this package %s%n", baseDeb.getFileName(), base, ours,
                baseCpu, ourCpu);
        return List.of(
                Figure.info("footprint.base.idleRss", "RSS idle, " + baseDeb.getFileName() + " (median, interleaved)", median(base), "MB",
                        base.toString()),
                Figure.info("footprint.this.idleRss", "RSS idle, this package (median, interleaved)", median(ours), "MB", ours.toString()),
                Figure.info("footprint.base.idleCpu", "CPU idle, " + baseDeb.getFileName() + " (median, interleaved)", median(baseCpu),
                        "% of a core", baseCpu.toString()),
                Figure.info("footprint.this.idleCpu", "CPU idle, this package (median, interleaved)", median(ourCpu), "% of a core",
                        ourCpu.toString()));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    record Memory(double rssMb, double pssMb, long threads) {
        static Memory of(long... pids) throws IOException {
            long rss = 0;
            long pss = 0;
            long threads = 0;
            for (long pid : pids) {
                rss += ProcFs.rssKb(pid);
                pss += ProcFs.pssKb(pid);
                threads += ProcFs.threads(pid);
            }
            return new Memory(rss / 1024.0, pss / 1024.0, threads);
        }
    }

    record Run(Memory idle, double cpuPercent, Memory burst, Memory later, double mbps) {
    }

    record Anchor(Memory idle, double cpuPercent, Memory burst, double mbps) {
    }

    /** The supervisor from the unpacked package, two tunnels to {@code source}; {@code cpu}: also its idle CPU over 30 s. */
    private static Run lifeline(Path tree, TestBastion bastion, DataSource source, long bytes, boolean cpu) throws Exception {
        Path dir = Files.createTempDirectory("lifeline-bench");
        // BENCH_FOOTPRINT_CIPHERS: the tunnels offer only these (chacha20-poly1305@openssh.com loads JNA and libcrypto)
        String ciphers = System.getenv("BENCH_FOOTPRINT_CIPHERS");
        SshSection ssh = ciphers == null || ciphers.isBlank() ? null
                : new SshSection(null, null, null, null, null, null, null, null, List.of(ciphers.split(",")));
        var config = bastion.config(bastion.sshPort(), source.port(), ssh, 0, 1);
        // A port of its own for the status page: on the default one (9309) another supervisor on this machine would
        // leave ours without a status server, and the figure would silently measure less than a home runs.
        int statusPort = FreePorts.next();
        String status = "status:\n  listen: 127.0.0.1:" + statusPort + "\n" + (System.getenv("BENCH_FOOTPRINT_ALERTS") == null ? "" : alerts(dir));
        try (SupervisorProcess p = SupervisorProcess.startWithLauncher(tree.resolve("usr/bin/lifeline"), config, status, dir)) {
            Await.until("two tunnels up", Duration.ofSeconds(60), () -> canConnect(bastion.tunnelPort(0)) && canConnect(bastion.tunnelPort(1)));
            Await.until("the status page listening", Duration.ofSeconds(30), () -> canConnect(statusPort));
            Thread.sleep(SETTLE.toMillis());
            double percent = Double.NaN;
            // BENCH_IDLE_WINDOWS=N: N windows of 30 s one after another, each printed; the figure is the last (the JIT
            // compiles an idle daemon's few hot paths only over minutes: C2 alone waits for 10,000 calls)
            int windows = cpu ? Integer.parseInt(System.getenv().getOrDefault("BENCH_IDLE_WINDOWS", "3")) : 0;
            for (int w = 1; w <= windows; w++) {
                var threads0 = ProcFs.cpuTicksByThread(p.pid());
                long children0 = ProcFs.childCpuTicks(p.pid());
                percent = cpuPercent(Duration.ofSeconds(30), p.pid());
                System.out.printf("  idle CPU, window %d of %d (30 s): %.2f %%%n", w, windows, percent);
                printBusiestThreads(threads0, ProcFs.cpuTicksByThread(p.pid()));
                System.out.println("  its child processes in the window: " + (ProcFs.childCpuTicks(p.pid()) - children0) + " ticks");
            }
            Memory idle = Memory.of(p.pid());
            explain(p.pid(), Files.readString(tree.resolve("usr/share/lifeline/jvm.options")).contains("NativeMemoryTracking"));
            double mbps = DataSource.pull(bastion.tunnelPort(0), bytes);
            Memory burst = Memory.of(p.pid());
            Thread.sleep(10_000); // past TrimNativeHeapInterval (5 s): the native memory the burst used, given back
            Memory later = Memory.of(p.pid());
            // What a full collection would give back: the heap the burst grew that the live objects do not need.
            Tools.run(30, List.of(Tools.which("jcmd"), String.valueOf(p.pid()), "GC.run"));
            Thread.sleep(6_000);
            Memory collected = Memory.of(p.pid());
            System.out.printf("lifeline, 2 tunnels: idle RSS %.1f MB, PSS %.1f MB, %d threads, CPU %.2f %%; after %d MiB (%.0f MB/s)"
                    + " RSS %.1f MB, PSS %.1f MB; 10 s later %.1f MB; after a full GC (jcmd GC.run) %.1f MB%n", idle.rssMb(),
                    idle.pssMb(), idle.threads(), percent, bytes / MIB, mbps, burst.rssMb(), burst.pssMb(), later.rssMb(),
                    collected.rssMb());
            return new Run(idle, percent, burst, later, mbps);
        } finally {
            awaitPortsFree(bastion);
        }
    }

    /**
     * BENCH_FOOTPRINT_ALERTS: a home that alerts by SMS, mail and Telegram (none is sent while the tunnels stay up; the
     * endpoints are closed ports on 127.0.0.1) and keeps its outbox in {@code dir}.
     */
    private static String alerts(Path dir) throws IOException {
        Path sms = TestConfigs.privateFile(dir.resolve("twilio-token"), "twilio-token-bench0123456789\n");
        Path bot = TestConfigs.privateFile(dir.resolve("bot-token"), "123456:bot-token-bench\n");
        Path mail = TestConfigs.privateFile(dir.resolve("smtp-password"), "smtp-password-bench\n");
        int closed = FreePorts.next();
        return """
                stateDir: %s
                alerts:
                  twilio: {accountSid: AC0123456789abcdef0123456789abcdef, authTokenFile: %s, from: "+14155550100", to: ["+14155550111"],
                           endpoint: "http://127.0.0.1:%d"}
                  email: {smtp: "127.0.0.1:%d", security: none, username: lifeline, passwordFile: %s, from: lifeline@home.example,
                          to: [admin@example.com]}
                  telegram: {botTokenFile: %s, chatId: "42", endpoint: "http://127.0.0.1:%d"}
                """.formatted(dir, sms, closed, closed, mail, bot, closed);
    }

    /** Where the memory goes: classes loaded, threads by name, and the JVM's own account when NMT is on. */
    private static void explain(long pid, boolean nmt) throws IOException {
        String jcmd = Tools.which("jcmd");
        String counters = Tools.run(30, List.of(jcmd, String.valueOf(pid), "PerfCounter.print")).output();
        String classes = counters.lines().filter(l -> l.startsWith("java.cls.loadedClasses=") || l.startsWith("java.cls.sharedLoadedClasses="))
                .collect(java.util.stream.Collectors.joining(", "));
        java.util.Map<String, Long> names = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path t : tasks.toList()) {
                names.merge(Files.readString(t.resolve("comm")).strip().replaceAll("[0-9-]+$", ""), 1L, Long::sum);
            }
        }
        System.out.printf("  classes: %s; threads: %s%n", classes, names);
        System.out.println(Tools.run(30, List.of(jcmd, String.valueOf(pid), "GC.heap_info")).output().strip().indent(2));
        if (nmt) {
            System.out.println(Tools.run(30, List.of(jcmd, String.valueOf(pid), "VM.native_memory", "summary")).output());
        }
    }

    /** Two OpenSSH tunnels as people keep them without lifeline: ssh -N -R, or the same under autossh. */
    private static Anchor anchor(TestBastion bastion, DataSource source, long bytes, boolean autossh) throws Exception {
        Path knownHosts = bastion.root().write("/bench/known_hosts",
                bastion.spec().hostKey().knownHostsLine("127.0.0.1", bastion.sshPort()) + "\n", "0644");
        List<Process> clients = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                String user = i == 0 ? TestUsers.TUNNEL1 : TestUsers.TUNNEL2;
                // as OpenSshClient runs it: pinned host key, one identity, no agent, no user config
                List<String> command = new ArrayList<>(autossh ? List.of(Tools.which("autossh"), "-M", "0") : List.of(Tools.which("ssh")));
                command.addAll(List.of("-F", "/dev/null", "-o", "UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes",
                        "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-i", bastion.key(i).toString(),
                        "-p", String.valueOf(bastion.sshPort()), "-N", "-o", "ExitOnForwardFailure=yes", "-o", "ServerAliveInterval=5",
                        "-R", "127.0.0.1:" + bastion.tunnelPort(i) + ":127.0.0.1:" + source.port(), user + "@127.0.0.1"));
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(bastion.root().path("/bench/anchor" + i + ".log").toFile());
                // autossh -M 0: no monitor port, it restarts ssh when ssh exits (ServerAliveInterval notices a dead path)
                pb.environment().put("AUTOSSH_PATH", Tools.which("ssh"));
                clients.add(pb.start());
            }
            Await.until("two OpenSSH tunnels up", Duration.ofSeconds(30), () -> canConnect(bastion.tunnelPort(0)) && canConnect(bastion.tunnelPort(1)));
            for (Process c : clients) {
                pids.add(c.pid());
                if (autossh) {
                    pids.addAll(ProcFs.children(c.pid()));
                }
            }
            long[] all = pids.stream().mapToLong(Long::longValue).toArray();
            double percent = cpuPercent(Duration.ofSeconds(10), all);
            Memory idle = Memory.of(all);
            double mbps = autossh ? Double.NaN : DataSource.pull(bastion.tunnelPort(0), bytes);
            Memory burst = Memory.of(all);
            System.out.printf("%s ×2 (%d processes): idle RSS %.1f MB, PSS %.1f MB, CPU %.2f %%; after %d MiB (%.0f MB/s) RSS %.1f MB%n",
                    autossh ? "autossh -M 0 + ssh -N -R" : "ssh -N -R", all.length, idle.rssMb(), idle.pssMb(), percent,
                    bytes / MIB, mbps, burst.rssMb());
            return new Anchor(idle, percent, burst, mbps);
        } finally {
            clients.forEach(Daemons::stop);
            for (long pid : pids) { // autossh ends its ssh on SIGTERM; make sure by the PIDs noted
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            }
            awaitPortsFree(bastion);
        }
    }

    /** {@code java @jvm.options} running a main that only sleeps: the part of the RSS that is the JVM's, not ours. */
    private static Memory emptyJvm(Path options) throws Exception {
        String classes = Path.of(IdleJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ProcessBuilder pb = new ProcessBuilder("java", "@" + options, "-cp", classes, IdleJvm.class.getName()).inheritIO();
        pb.environment().put("MALLOC_ARENA_MAX", "2"); // as /usr/bin/lifeline sets it
        Process p = pb.start();
        try {
            Thread.sleep(10_000);
            return Memory.of(p.pid());
        } finally {
            Daemons.stop(p);
        }
    }

    /**
     * {@link BareMinaTunnels} with the package's jvm.options and lifeline.jar as its class path, two tunnels to the bench's
     * sshd, idle as long as the supervisor is before its RSS is read: what MINA and the JVM cost before any of our code
     * (with {@code onLoop}, before any but the I/O loop).
     */
    private static Memory bareMina(Path tree, Path options, TestBastion bastion, DataSource source, boolean onLoop)
            throws Exception {
        Path log = Files.createTempFile("lifeline-bare-mina", ".log");
        Process p = BareMinaTunnels.start(tree.resolve("usr/share/lifeline/lifeline.jar"), List.of("@" + options), null, onLoop,
                bastion, source.port(), log, 0, 1);
        try {
            Await.until("MINA's stock client: two tunnels up (" + log + ")", Duration.ofSeconds(60),
                    () -> canConnect(bastion.tunnelPort(0)) && canConnect(bastion.tunnelPort(1)));
            Thread.sleep(SETTLE.toMillis() + 30_000L * Integer.parseInt(System.getenv().getOrDefault("BENCH_IDLE_WINDOWS", "3")));
            return Memory.of(p.pid());
        } finally {
            Daemons.stop(p);
            awaitPortsFree(bastion);
        }
    }

    /** Where the idle CPU went: the threads (by name) that spent any, most first, in ticks of 10 ms over the window. */
    private static void printBusiestThreads(java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
        String busiest = after.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
        System.out.println("  idle CPU by thread (ticks of 10 ms in the window): " + (busiest.isEmpty() ? "none" : busiest));
    }

    private static double cpuPercent(Duration window, long... pids) throws Exception {
        long t0 = 0;
        for (long pid : pids) {
            t0 += ProcFs.cpuTicks(pid);
        }
        long start = System.nanoTime();
        Thread.sleep(window.toMillis());
        long t1 = 0;
        for (long pid : pids) {
            t1 += ProcFs.cpuTicks(pid);
        }
        return (t1 - t0) / 100.0 / ((System.nanoTime() - start) / 1e9) * 100;
    }

    private static void awaitPortsFree(TestBastion bastion) {
        Await.until("the tunnel listeners are gone", Duration.ofSeconds(30),
                () -> !canConnect(bastion.tunnelPort(0)) && !canConnect(bastion.tunnelPort(1)));
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
