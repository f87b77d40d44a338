package dev.lifeline.supervisor.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.lifeline.templates.testing.Daemons;
import dev.lifeline.templates.testing.SysctlFile;
import dev.lifeline.templates.testing.Tools;

/**
 * A bad line of the test's own between this machine (the home) and a "bastion" network namespace, through a router
 * namespace in the middle:
 * <pre>
 *   this machine 198.18.77.1 ─veth─ 198.18.77.2 router 198.18.77.5 ─veth─ 198.18.77.6 bastion namespace
 * </pre>
 * {@link #impair} sends every packet the router forwards, either way, through ci/lab/labnet.py's {@code linkem} (a
 * tun device: delay, and independent random loss per packet) — the lab's emulation of {@code tc netem delay D loss L},
 * which it uses because this machine's kernel (a Firecracker guest) has no sch_netem. {@link #cut} makes the router
 * drop everything silently (a blackhole route: no ICMP, nothing closed). Addresses from 198.18.77.0/29 (RFC 2544
 * benchmarking space; the lab and the booted harness use 198.18.0–9.x and 198.19.x); the namespaces have no route
 * beyond it. {@link #close} stops linkem by its PID and deletes both namespaces (the veth pairs go with them). The
 * addresses are fixed, so one link at a time: what a killed earlier run left (its end of the line on this machine, its
 * namespaces and what still runs in them) is cleared first ({@link #clearLeftovers}).
 */
public final class LossyLink implements AutoCloseable {
    public static final String HOME_ADDRESS = "198.18.77.1";
    public static final String BASTION_ADDRESS = "198.18.77.6";
    private static final String EMULATED = "200";

    private final long id = ProcessHandle.current().pid() % 100_000;
    private final String router = "lifeline-lossy-r" + id;
    private final String bastion = "lifeline-lossy-b" + id;
    private final String hostEnd = "llh" + id;
    private Process linkem;
    private Path linkemLog;
    private final java.util.Map<String, String> homeSettingsFound = new java.util.LinkedHashMap<>();

    private LossyLink() {
    }

    /** Skips (outside CI) or fails (CI=true) when not root: namespaces, routes and a tun device need it. */
    public static void requireRoot() {
        boolean isRoot = "root".equals(System.getProperty("user.name"));
        if ("true".equals(System.getenv("CI"))) {
            assertThat(isRoot).as("CI runs the tests as root (ci/test.sh)").isTrue();
        }
        assumeTrue(isRoot, "network namespaces and a tun device: skipped when not root (under CI=true it fails instead)");
    }

    /** The line up, clean (so daemons start and are checked at full speed). */
    public static LossyLink create() {
        requireRoot();
        LossyLink link = new LossyLink();
        try {
            link.build();
            return link;
        } catch (RuntimeException | AssertionError e) {
            link.close();
            throw e;
        }
    }

    private void build() {
        clearLeftovers();
        run("ip", "netns", "add", router);
        run("ip", "netns", "add", bastion);
        run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "llr" + id, "netns", router);
        run("ip", "addr", "add", HOME_ADDRESS + "/30", "dev", hostEnd);
        run("ip", "link", "set", hostEnd, "up");
        run("ip", "route", "add", "198.18.77.4/30", "via", "198.18.77.2", "dev", hostEnd);
        in(router, "ip", "link", "add", "llq" + id, "type", "veth", "peer", "name", "llb" + id, "netns", bastion);
        in(router, "ip", "link", "set", "lo", "up");
        in(router, "ip", "addr", "add", "198.18.77.2/30", "dev", "llr" + id);
        in(router, "ip", "addr", "add", "198.18.77.5/30", "dev", "llq" + id);
        in(router, "ip", "link", "set", "llr" + id, "up");
        in(router, "ip", "link", "set", "llq" + id, "up");
        in(router, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0");
        in(bastion, "ip", "link", "set", "lo", "up");
        in(bastion, "ip", "addr", "add", BASTION_ADDRESS + "/30", "dev", "llb" + id);
        in(bastion, "ip", "link", "set", "llb" + id, "up");
        in(bastion, "ip", "route", "add", "198.18.77.0/30", "via", "198.18.77.5");
        // What the router forwards either way takes table 200 (the emulator or the blackhole) once impaired or cut;
        // what comes back out of the emulator's tun device is routed by the main table as usual.
        in(router, "ip", "rule", "add", "iif", "llr" + id, "lookup", EMULATED, "priority", "50");
        in(router, "ip", "rule", "add", "iif", "llq" + id, "lookup", EMULATED, "priority", "51");
    }

    /**
     * A run killed before its {@link #close} leaves this machine's end of its line behind (address 198.18.77.1, the
     * route to 198.18.77.4/30), kept alive by whatever still runs in its namespaces (sshd, linkem): the next run's
     * {@code ip route add} then fails with "File exists". Deleting this machine's end deletes its peer too (a veth pair
     * goes as one), and the named namespaces of other runs are emptied (their processes killed) and deleted. Another
     * link alive at the same time could not work anyway: the addresses are the same.
     */
    private void clearLeftovers() {
        java.util.regex.Matcher links = java.util.regex.Pattern.compile("(?m)^\\d+: (llh\\d+)[@:]")
                .matcher(Tools.run(10, List.of("ip", "-o", "link", "show")).output());
        while (links.find()) {
            if (!links.group(1).equals(hostEnd)) {
                System.out.println("LossyLink: deleting " + links.group(1) + ", left by an earlier run");
                run("ip", "link", "del", links.group(1));
            }
        }
        for (String line : Tools.run(10, List.of("ip", "netns", "list")).output().lines().toList()) {
            String ns = line.split("\\s+")[0];
            if (ns.startsWith("lifeline-lossy-") && !ns.equals(router) && !ns.equals(bastion)) {
                for (String pid : Tools.run(10, List.of("ip", "netns", "pids", ns)).output().lines().map(String::strip)
                        .filter(l -> l.matches("\\d+")).toList()) {
                    System.out.println("LossyLink: stopping pid " + pid + " in " + ns + ", left by an earlier run");
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
                System.out.println("LossyLink: deleting namespace " + ns + ", left by an earlier run");
                run("ip", "netns", "del", ns);
            }
        }
    }

    /** The namespace sshd runs in, at {@link #BASTION_ADDRESS}. */
    public String namespace() {
        return bastion;
    }

    /**
     * Every packet either way delayed by {@code delayMs} (a round trip of twice that) and dropped with probability
     * {@code lossPercent} %, independently per packet and direction: {@code netem delay D loss L} on both ends.
     */
    public void impair(int delayMs, int lossPercent) throws Exception {
        in(router, "ip", "tuntap", "add", "dev", "em0", "mode", "tun");
        in(router, "ip", "link", "set", "em0", "up");
        in(router, "sysctl", "-qw", "net.ipv4.conf.em0.rp_filter=0", "net.ipv4.conf.em0.accept_local=1");
        linkemLog = Files.createTempFile("lifeline-linkem", ".log");
        Path labnet = repo().resolve("ci/lab/labnet.py");
        linkem = new ProcessBuilder(Tools.which("ip"), "netns", "exec", router, Tools.which("python3"), labnet.toString(),
                "linkem", "em0", String.valueOf(delayMs), "0", String.valueOf(lossPercent))
                .redirectErrorStream(true).redirectOutput(linkemLog.toFile()).start();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Daemons.read(linkemLog).contains("linkem on em0")) {
            assertThat(linkem.isAlive()).as("linkem: %s", Daemons.read(linkemLog)).isTrue();
            assertThat(System.nanoTime() - until).as("linkem up within 10 s").isNegative();
            Thread.sleep(50);
        }
        in(router, "ip", "route", "replace", "default", "dev", "em0", "table", EMULATED);
    }

    /** From now on the router drops everything, silently: the path goes dark and nothing is closed. */
    public void cut() {
        in(router, "ip", "route", "replace", "blackhole", "default", "table", EMULATED);
    }

    /** What linkem counted (passed, lost), for the report. */
    public String emulatorLog() {
        return linkemLog == null ? "" : Daemons.read(linkemLog);
    }

    /** Applies a sysctl.d file (the rendered bastion's) in the bastion namespace; fails on any key the kernel refuses. */
    public void sysctlInside(Path file) {
        in(bastion, "sysctl", "-q", "-p", file.toString());
    }

    /**
     * This machine stands for the home, in its own network namespace (the tunnels' sockets live there): applies the
     * settings the lifeline .deb installs for the home (templates' home/sysctl.conf) until {@link #close}, which puts
     * back the values it found.
     */
    public void homeKernelSettings() {
        Path file = repo().resolve("templates/src/main/resources/home/sysctl.conf");
        for (String key : SysctlFile.entries(Daemons.read(file)).keySet()) {
            Tools.Result before = Tools.run(10, List.of("sysctl", "-n", key));
            assertThat(before.exitCode()).as("sysctl %s: %s", key, before).isZero();
            homeSettingsFound.put(key, before.output().trim());
        }
        run("sysctl", "-q", "-p", file.toString());
    }

    /** A command inside the bastion namespace, bounded; its result whatever the exit code. */
    public Tools.Result tryInside(long seconds, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", bastion));
        cmd.addAll(List.of(command));
        return Tools.run(seconds, cmd);
    }

    private static Path repo() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("ci/lab/labnet.py"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository's ci/lab/labnet.py above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    private static void in(String ns, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        run(cmd.toArray(String[]::new));
    }

    private static void run(String... command) {
        Tools.Result r = Tools.run(30, List.of(command));
        assertThat(r.exitCode()).as("%s: %s", String.join(" ", command), r).isZero();
    }

    /** Stops linkem by its PID, puts back this machine's kernel settings, deletes both namespaces (and the pairs). Idempotent. */
    @Override
    public void close() {
        if (linkem != null) {
            Daemons.stop(linkem);
        }
        homeSettingsFound.forEach((key, value) -> Tools.run(10, List.of("sysctl", "-qw", key + "=" + value)));
        homeSettingsFound.clear();
        Tools.run(30, List.of("ip", "netns", "del", router));
        Tools.run(30, List.of("ip", "netns", "del", bastion));
        Tools.run(30, List.of("ip", "link", "del", hostEnd)); // normally gone with the router's namespace already
        if (linkemLog != null) {
            try {
                Files.deleteIfExists(linkemLog);
            } catch (java.io.IOException ignored) {
                // a temp file
            }
        }
    }
}
