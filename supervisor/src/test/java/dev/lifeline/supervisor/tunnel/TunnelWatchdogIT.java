package dev.lifeline.supervisor.tunnel;

import static dev.lifeline.supervisor.testing.Listeners.holder;
import static dev.lifeline.supervisor.testing.Listeners.listening;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.testing.Http;
import dev.lifeline.supervisor.testing.Listeners;
import dev.lifeline.supervisor.testing.RequestLoad;
import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.supervisor.testing.TunnelWatchdog;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.HomeService;
import dev.lifeline.templates.testing.OpenSshClient;

/**
 * The rendered tunnel watchdog against the real sshd from the rendered config and the real supervisor (lifeline.jar in
 * its own JVM, so SIGSTOP freezes it as a hung home would): its port is freed within 5 s of the freeze, idle and under
 * 100 requests/s, while a healthy tunnel under the same load and a session without a health listener (an older
 * supervisor) are left alone. sshd's ClientAlive is switched off here, so nothing but the watchdog frees a port.
 */
class TunnelWatchdogIT {
    private static final Duration TARGET = Duration.ofSeconds(5);
    private static final List<String> NO_CLIENT_ALIVE = List.of("-o", "ClientAliveInterval=0");

    @TempDir
    Path dir;

    @Test
    void aHealthyTunnelUnderLoadIsLeftAloneAndAFrozenOnesPortIsFreedWithinFiveSecondsUnderLoadAndIdle() throws Exception {
        try (TestBastion bastion = TestBastion.start(NO_CLIENT_ALIVE);
             HomeService home = HomeService.start("home");
             SupervisorProcess supervisor = SupervisorProcess.start(
                     bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0), dir);
             TunnelWatchdog watchdog = TunnelWatchdog.start(bastion.root())) {
            int port = bastion.tunnelPort(0);
            try {
                long session = awaitTunnel(bastion, supervisor);
                assertThat(holder(bastion.healthPort(0))).as("one sshd session holds the tunnel's port and its health port")
                        .isEqualTo(session);

                try (RequestLoad load = RequestLoad.start(port, 100)) {
                    Thread.sleep(30_000); // watching for a wrong kill: nothing to wait for but the time
                    assertThat(holder(port)).as("the healthy session after 30 s under load; watchdog log:\n" + watchdog.log())
                            .isEqualTo(session);
                    assertThat(watchdog.log()).doesNotContain("ended");
                    System.out.printf("healthy under load: %d answered, %d failed in 30 s%n", load.answered(), load.failed());
                    assertThat(load.answered()).as("≥ 80 requests/s answered").isGreaterThan(2400);
                    assertThat(load.failed()).as("failed requests").isLessThanOrEqualTo(load.answered() / 100);

                    Duration freed = freezeAndAwaitFreed(supervisor, port);
                    System.out.printf("frozen supervisor under 100 requests/s: port freed %d ms after SIGSTOP%n", freed.toMillis());
                    assertThat(freed).as("port freed under load").isLessThanOrEqualTo(TARGET);
                }
                assertThat(watchdog.log()).contains("ended its sshd session (pid " + session + ")");

                Listeners.thaw(supervisor.pid());
                long next = awaitTunnel(bastion, supervisor);
                assertThat(next).as("a new session after the thaw").isNotEqualTo(session);
                Duration idle = freezeAndAwaitFreed(supervisor, port);
                System.out.printf("frozen supervisor, idle: port freed %d ms after SIGSTOP%n", idle.toMillis());
                assertThat(idle).as("port freed idle").isLessThanOrEqualTo(TARGET);
                assertThat(watchdog.log()).contains("ended its sshd session (pid " + next + ")");
                assertThat(watchdog.isAlive()).isTrue();
            } finally {
                Listeners.thaw(supervisor.pid());
            }
        }
    }

    /**
     * The stack's tunnelWatchdogQuiet, through the rendered unit to the running watchdog: a home on a very bad line that
     * set 8 s keeps its session 8 s without an answer (a frozen home here, idle), and loses it soon after.
     */
    @Test
    void aLongerQuietTimeFromTheStackKeepsAFrozenTunnelThatLongAndNoLonger() throws Exception {
        Duration quiet = Duration.ofSeconds(8);
        try (TestBastion bastion = TestBastion.start(NO_CLIENT_ALIVE, s -> s.set("tunnelWatchdogQuiet", quiet.toSeconds() + "s"));
             HomeService home = HomeService.start("home");
             SupervisorProcess supervisor = SupervisorProcess.start(
                     bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0), dir);
             TunnelWatchdog watchdog = TunnelWatchdog.start(bastion.root())) {
            int port = bastion.tunnelPort(0);
            try {
                long session = awaitTunnel(bastion, supervisor);
                Duration freed = freezeAndAwaitFreed(supervisor, port);
                System.out.printf("frozen supervisor, idle, tunnelWatchdogQuiet %s: port freed %d ms after SIGSTOP%n", quiet, freed.toMillis());
                // the last answer came at most one request interval (500 ms) before the freeze
                assertThat(freed).as("held for the stack's quiet time; watchdog log:\n" + watchdog.log())
                        .isGreaterThanOrEqualTo(quiet.minusMillis(600)).isLessThanOrEqualTo(quiet.plus(TARGET.minusMillis(3500)));
                assertThat(watchdog.log()).contains("ended its sshd session (pid " + session + ")");
            } finally {
                Listeners.thaw(supervisor.pid());
            }
        }
    }

    @Test
    void aSessionWithoutAHealthListenerIsLeftAloneWhileTheFrozenSupervisorBesideItIsEnded() throws Exception {
        try (TestBastion bastion = TestBastion.start(NO_CLIENT_ALIVE);
             HomeService home = HomeService.start("home");
             SupervisorProcess supervisor = SupervisorProcess.start(
                     bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0), dir);
             TunnelWatchdog watchdog = TunnelWatchdog.start(bastion.root())) {
            // tunnel 2 as before the watchdog: plain ssh -R, the tunnel's port only
            Path knownHosts = Files.writeString(dir.resolve("known_hosts"),
                    bastion.spec().hostKey().knownHostsLine("127.0.0.1", bastion.sshPort()) + "\n");
            OpenSshClient ssh = new OpenSshClient(bastion.key(1), knownHosts, bastion.sshPort());
            try (OpenSshClient.Background old = ssh.background(bastion.spec().tunnels().get(1).name(), List.of(
                    "-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:" + bastion.tunnelPort(1) + ":127.0.0.1:" + home.port()),
                    dir.resolve("ssh.log"))) {
                long session = awaitTunnel(bastion, supervisor);
                Await.until("ssh -R serving tunnel 2; ssh log:\n" + Files.readString(dir.resolve("ssh.log")), Duration.ofSeconds(20),
                        () -> "home".equals(Http.get(bastion.tunnelPort(1))));
                long oldSession = holder(bastion.tunnelPort(1));
                assertThat(listening(bastion.healthPort(1))).isFalse();

                Listeners.freeze(old.process().pid());
                Instant frozen = Instant.now();
                try {
                    Duration freed = freezeAndAwaitFreed(supervisor, bastion.tunnelPort(0));
                    assertThat(freed).isLessThanOrEqualTo(TARGET);
                    assertThat(watchdog.log()).contains("ended its sshd session (pid " + session + ")");
                    // three quiet times (3 × 3.5 s) after its freeze, the frozen session without a health port is still there
                    Thread.sleep(Math.max(0, 10_500 - Duration.between(frozen, Instant.now()).toMillis()));
                    assertThat(holder(bastion.tunnelPort(1))).as("the session with no health listener; watchdog log:\n" + watchdog.log())
                            .isEqualTo(oldSession);
                    assertThat(watchdog.log()).doesNotContain("port " + bastion.healthPort(1));
                } finally {
                    Listeners.thaw(old.process().pid());
                    Listeners.thaw(supervisor.pid());
                }
            }
        }
    }

    /**
     * The watchdog's requests are not a person's connections: counted, a slow line (one request open most of the time)
     * would keep the bastion from ever stopping. A health connection left open here stays an open channel; a plain
     * connection on the tunnel's port counts.
     */
    @Test
    void healthRequestsAreAnsweredThroughTheTunnelAndNotCountedAsOpenConnections() throws Exception {
        try (TestBastion bastion = TestBastion.start(List.of());
             HomeService home = HomeService.start("home");
             TunnelSupervisor tunnels = TunnelSupervisor.start(bastion.config(bastion.sshPort(), home.port(),
                     TestBastion.fastSettings(), 0).tunnelPlan(), TunnelListener.NONE, java.time.Clock.systemUTC(), new java.util.Random(1))) {
            // (not Http.get: its client keeps the connection open, which rightly counts)
            Await.until("tunnel listening with its health port", Duration.ofSeconds(30),
                    () -> listening(bastion.tunnelPort(0)) && listening(bastion.healthPort(0)));
            assertThat(tunnels.openConnections()).isZero();
            // 200 requests from 8 threads, as many watchdogs at once, while openConnections() is sampled all along
            java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    most.accumulateAndGet(tunnels.openConnections(), Math::max);
                }
            });
            sampler.start();
            java.util.concurrent.ExecutorService askers = java.util.concurrent.Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(askers.submit(() -> {
                    try (java.net.Socket health = new java.net.Socket("127.0.0.1", bastion.healthPort(0))) {
                        health.setSoTimeout(5000);
                        return new java.io.BufferedReader(new java.io.InputStreamReader(health.getInputStream(),
                                java.nio.charset.StandardCharsets.US_ASCII)).readLine();
                    }
                }));
            }
            for (java.util.concurrent.Future<String> a : answers) {
                assertThat(a.get(30, java.util.concurrent.TimeUnit.SECONDS)).as("the supervisor's answer through the tunnel").isEqualTo("lifeline ok");
            }
            askers.shutdown();
            sampling.set(false);
            sampler.join(5000);
            assertThat(most.get()).as("open connections counted while 200 health requests went through").isZero();
            try (java.net.Socket person = new java.net.Socket("127.0.0.1", bastion.tunnelPort(0))) {
                Await.until("a connection on the tunnel's port counted", Duration.ofSeconds(5), () -> tunnels.openConnections() == 1);
            }
            Await.until("closed again", Duration.ofSeconds(5), () -> tunnels.openConnections() == 0);
        }
    }

    /** A new supervisor on a bastion rendered before the watchdog: the health port is refused, the tunnel works as before. */
    @Test
    void aBastionFromBeforeTheWatchdogRefusesTheHealthPortAndTheTunnelWorksAsBefore() throws Exception {
        try (TestBastion bastion = TestBastion.start(List.of());
             HomeService home = HomeService.start("home")) {
            bastion.stopSshd();
            String health = "127.0.0.1:" + bastion.healthPort(0);
            Path keys = bastion.root().path(dev.lifeline.templates.render.BastionFiles.AUTHORIZED_KEYS_DIR + "/"
                    + bastion.spec().tunnels().get(0).name());
            String key = Files.readString(keys);
            Files.writeString(keys, key.replace(",permitlisten=\"" + health + "\"", ""));
            Path config = bastion.root().path(dev.lifeline.templates.render.BastionFiles.SSHD_CONFIG);
            String sshd = Files.readString(config);
            Files.writeString(config, sshd.replace(" " + health + "\n", "\n"));
            assertThat(Files.readString(keys)).isNotEqualTo(key).doesNotContain(health);
            assertThat(Files.readString(config)).isNotEqualTo(sshd).doesNotContain(health);
            bastion.startSshd();
            try (TunnelSupervisor tunnels = TunnelSupervisor.start(bastion.config(bastion.sshPort(), home.port(),
                    TestBastion.fastSettings(), 0).tunnelPlan(), TunnelListener.NONE, java.time.Clock.systemUTC(), new java.util.Random(1))) {
                Await.until("tunnel serving", Duration.ofSeconds(30), () -> "home".equals(Http.get(bastion.tunnelPort(0))));
                long session = holder(bastion.tunnelPort(0));
                Thread.sleep(3000); // the refusal must not take the session down (keepalives at 1 s × 3 here)
                assertThat(holder(bastion.tunnelPort(0))).as("the same session, still up").isEqualTo(session);
                assertThat(tunnels.states().get(0).reconnects()).isZero();
                assertThat(listening(bastion.healthPort(0))).isFalse();
                assertThat(bastion.sshd().log()).as("sshd's side of the refusal")
                        .contains("to remote forward to host 127.0.0.1 port " + bastion.healthPort(0) + ", but the request was denied");
            }
        }
    }

    /** The tunnel carries HTTP and its health port is held: the sshd session process that holds both. */
    private static long awaitTunnel(TestBastion bastion, SupervisorProcess supervisor) {
        try {
            Await.until("tunnel 1 serving with its health port", Duration.ofSeconds(30),
                    () -> "home".equals(Http.get(bastion.tunnelPort(0))) && listening(bastion.healthPort(0)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; supervisor log:\n" + supervisor.log() + "\nsshd log:\n" + bastion.sshd().log(), e);
        }
        return holder(bastion.tunnelPort(0));
    }

    private static Duration freezeAndAwaitFreed(SupervisorProcess supervisor, int port) {
        Listeners.freeze(supervisor.pid());
        Instant frozen = Instant.now();
        Await.until("port " + port + " freed after the freeze", Duration.ofSeconds(30), () -> !listening(port));
        return Duration.between(frozen, Instant.now());
    }
}
