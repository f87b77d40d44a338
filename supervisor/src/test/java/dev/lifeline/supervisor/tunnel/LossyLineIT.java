package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.testing.LossyLink;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.supervisor.testing.TunnelWatchdog;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.Tools;

/**
 * The default tunnel timings on a bad backup line and on a dead one (issue 17, part 3), with Debian's real sshd from
 * the rendered config in a network namespace of the test's own, reached over a veth pair with netem on both ends.
 */
class LossyLineIT {
    /** How long the lossy line runs: see {@link #aBadBackupLineDropsATunnelOnlyWhenTheLineItselfWentSilentForTheDeadAfterTime}. */
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("lossy.seconds", 300));
    private static final int PAGE = 16 * 1024;
    /** To measure an alternative (-Dlossy.keepalive=2500ms,2): the run then checks those timings instead of the defaults. */
    private static final String ALTERNATIVE = System.getProperty("lossy.keepalive");

    @BeforeAll
    static void root() {
        LossyLink.requireRoot();
    }

    /**
     * 20 % loss each way and 300 ms each way (600 ms round trip), both tunnels with the default timings, for five
     * minutes: alternately a minute of visitors (a 16 KiB page through each tunnel every few seconds, so data rides
     * both ways and keepalive answers queue behind it) and a minute of nothing (the keepalives alone). Five minutes are
     * ~600 keepalive exchanges per tunnel, ~1200 in all.
     *
     * <p>The line runs with both ends' kernel settings as lifeline installs them (the bastion's rendered sysctl file in
     * its namespace, the .deb's on this machine for the run) and the bastion's tunnel watchdog as its unit runs it.
     * What must hold: the home never drops a tunnel while the line still carried anything from the bastion within the
     * dead-after time — not for an answer held behind a lost segment, not while a page's ACKs stand in for the answer,
     * not while TCP resends our own lost segment. It may drop one only when the kernel itself heard nothing for that
     * long (its word is in the drop's message): no rule that notices a dead path within 6 s can tell such a line from a
     * dead one; or when the SSH layer heard nothing for 15 s while the kernel heard only ACKs and was not resending
     * ours, which is what a hung bastion sshd looks like too (ProofOfLife.KERNEL_GRACE). Sessions the bastion ended (its watchdog, whose 3.5 s must also free a frozen home's port; its sshd) are
     * counted and printed with its log, not asserted: see docs/performance.md for the rates measured.
     */
    @Test
    void aBadBackupLineDropsATunnelOnlyWhenTheLineItselfWentSilentForTheDeadAfterTime() throws Exception {
        SshSection ssh = ALTERNATIVE == null ? null : new SshSection(Duration.ofMillis(Long.parseLong(ALTERNATIVE.split("ms,")[0])),
                Integer.parseInt(ALTERNATIVE.split("ms,")[1]), null, null, null, null, null, null, null);
        TunnelSettings defaults = ssh == null ? TunnelSettings.DEFAULTS : ssh.settings();
        ConcurrentLinkedQueue<TunnelState> downs = new ConcurrentLinkedQueue<>();
        TunnelListener listener = new TunnelListener() {
            @Override
            public void stateChanged(TunnelState state) {
                if (state.status() == TunnelState.Status.DOWN) {
                    downs.add(state);
                }
            }
        };
        try (LossyLink link = LossyLink.create(); TestBastion bastion = TestBastion.startBehind(link); Page home = new Page(PAGE);
             TunnelWatchdog watchdog = TunnelWatchdog.startBehind(link, bastion.root())) {
            link.homeKernelSettings();
            SupervisorConfig config = bastion.config(bastion.sshPort(), home.port(), ssh, 0, 1);
            assertThat(config.tunnelSettings()).isEqualTo(defaults);
            try (TunnelSupervisor s = TunnelSupervisor.start(config.tunnelPlan(), listener, Clock.systemUTC(), new Random(17))) {
                Await.until("both tunnels up", Duration.ofSeconds(30), () -> s.states().stream().allMatch(TunnelState::isUp));
                assertThat(fetch(link, bastion.tunnelPort(0))).as("a page through the tunnel before the loss").isEqualTo(PAGE);
                link.impair(300, 20);
                Instant start = Instant.now();
                int pages = 0;
                int failedPages = 0;
                while (Duration.between(start, Instant.now()).compareTo(RUN) < 0) {
                    boolean visitors = Duration.between(start, Instant.now()).toMinutes() % 2 == 0;
                    if (visitors) {
                        for (int i = 0; i < 2; i++) {
                            if (fetch(link, bastion.tunnelPort(i)) == PAGE) {
                                pages++;
                            } else {
                                failedPages++;
                            }
                        }
                    } else {
                        Thread.sleep(1000);
                    }
                }
                List<Duration> longest = s.longestSilences();
                System.out.println(link.emulatorLog().lines().reduce((a, b) -> b).orElse(""));
                System.out.printf("lossy line (linkem: delay 300 ms, loss 20 %% each way) for %d s: %d pages of %d B through the tunnels"
                        + " (%d timed out at curl's 30 s), drops %s, longest silence with a keepalive outstanding %s (dead after %s),"
                        + " kept alive by the kernel's view %s times, the kernel's longest silence then %s; keepalive %s x %d%n",
                        RUN.toSeconds(), pages, PAGE, failedPages, downs.stream().map(d -> d.lastFailure() + ": " + d.lastError()).toList(), longest, defaults.deadAfter(), s.kernelHeard(),
                        s.longestKernelSilences(), defaults.keepaliveInterval(), defaults.keepaliveMaxMisses());
                String bastionSide = bastionSide(bastion, watchdog);
                System.out.println(bastionSide);
                assertOnlySilentLineDrops(downs, defaults, RUN);
                assertThat(pages).as("traffic went through the lossy tunnels").isGreaterThan(10);
                assertThat(longest).as("the keepalives ran and were answered late at times").allMatch(d -> d.toMillis() > 600);
            }
        }
    }

    /** How the bastion's sshd says it ended a session (ClientAlive, a socket the kernel gave up on, a reset). */
    private static final java.util.regex.Pattern SESSION_END = java.util.regex.Pattern.compile(
            "Timeout, client not responding|timed out|reset|Broken pipe|Disconnected from|Connection closed by");
    private static final java.util.regex.Pattern KERNEL_WORD = java.util.regex.Pattern.compile("the kernel last heard it (\\d+) ms before");

    /**
     * Every drop the home side made came after the kernel, asked, had heard nothing from the bastion for the dead-after
     * time. Sessions the bastion ended (its watchdog, its sshd) are counted and printed, not asserted: see the test.
     */
    private static void assertOnlySilentLineDrops(java.util.Collection<TunnelState> downs, TunnelSettings settings, Duration after) {
        for (TunnelState down : downs) {
            if (down.lastFailure() != FailureKind.KEEPALIVE_LOST) {
                continue;
            }
            if (String.valueOf(down.lastError()).contains("no byte for " + ProofOfLife.KERNEL_GRACE + " x dead-after:")) {
                continue; // the other floor: the kernel heard ACKs, SSH nothing for 15 s, as from a hung sshd (ProofOfLife)
            }
            java.util.regex.Matcher m = KERNEL_WORD.matcher(String.valueOf(down.lastError()));
            assertThat(m.find()).as("after %s on the lossy line, a drop without the kernel's word: %s", after, down).isTrue();
            assertThat(Long.parseLong(m.group(1))).as("after %s, a drop while the kernel had heard the bastion lately: %s", after, down)
                    .isGreaterThanOrEqualTo(settings.deadAfter().toMillis());
        }
    }

    /** What the bastion's watchdog did and how its sshd says sessions ended, for the report and a failure's message. */
    private static String bastionSide(TestBastion bastion, TunnelWatchdog watchdog) {
        return "tunnel watchdog: " + watchdog.log().strip() + "\n" + bastion.sshd().log().lines()
                .filter(l -> SESSION_END.matcher(l).find()).map(l -> "sshd: " + l).collect(java.util.stream.Collectors.joining("\n"));
    }

    /** The same line cut (everything dropped, nothing closed): the tunnel counts as down within the settings' bound. */
    @Test
    void aCutLineIsNoticedWithinTheBoundTheDefaultsPromise() throws Exception {
        TunnelSettings defaults = TunnelSettings.DEFAULTS;
        ConcurrentLinkedQueue<Instant> downAt = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<TunnelState> downs = new ConcurrentLinkedQueue<>();
        TunnelListener listener = new TunnelListener() {
            @Override
            public void stateChanged(TunnelState state) {
                if (state.status() == TunnelState.Status.DOWN) {
                    downAt.add(Instant.now());
                    downs.add(state);
                }
            }
        };
        try (LossyLink link = LossyLink.create(); TestBastion bastion = TestBastion.startBehind(link); Page home = new Page(PAGE)) {
            link.homeKernelSettings();
            SupervisorConfig config = bastion.config(bastion.sshPort(), home.port(), null, 0);
            try (TunnelSupervisor s = TunnelSupervisor.start(config.tunnelPlan(), listener, Clock.systemUTC(), new Random(18))) {
                Await.until("tunnel up", Duration.ofSeconds(30), () -> s.states().get(0).isUp());
                assertThat(fetch(link, bastion.tunnelPort(0))).isEqualTo(PAGE);
                Thread.sleep(2500); // a few keepalive rounds on the clean line
                Instant cut = Instant.now();
                link.cut();
                Duration cutting = Duration.between(cut, Instant.now());
                Await.until("the cut noticed", Duration.ofSeconds(30), () -> !downAt.isEmpty());
                Duration noticed = Duration.between(cut, downAt.peek());
                System.out.printf("cut line: noticed after %.2f s (bound %s: dead after %s + a check period; cutting took %d ms)%n",
                        noticed.toMillis() / 1000.0, defaults.deadPathBound(), defaults.deadAfter(), cutting.toMillis());
                assertThat(noticed.minus(cutting)).isLessThanOrEqualTo(defaults.deadPathBound());
                assertThat(noticed).as("not before the path was silent for dead-after minus one keepalive interval")
                        .isGreaterThanOrEqualTo(defaults.deadAfter().minus(defaults.keepaliveInterval()));
                assertThat(s.states().get(0).lastFailure()).isEqualTo(FailureKind.KEEPALIVE_LOST);
                // the kernel, asked through ss, saw nothing for the dead-after time and was resending our keepalives
                assertThat(downs.peek().lastError()).containsPattern("the kernel last heard it \\d+ ms before, resending ours");
            }
        }
    }

    /** Bytes of the page fetched through the tunnel's port inside the namespace (the bastion's side); -1 on failure. */
    private static int fetch(LossyLink link, int port) {
        Tools.Result r = link.tryInside(40, "curl", "-s", "--max-time", "30", "-o", "/dev/null", "-w", "%{size_download}",
                "http://127.0.0.1:" + port + "/");
        try {
            return r.exitCode() == 0 ? Integer.parseInt(r.output().strip()) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The home's web page: {@code size} bytes, so an answer spans several packets on the line. */
    private static final class Page implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger hits = new AtomicInteger();

        Page(int size) throws IOException {
            byte[] body = new byte[size];
            new Random(size).nextBytes(body);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/", ex -> {
                hits.incrementAndGet();
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
