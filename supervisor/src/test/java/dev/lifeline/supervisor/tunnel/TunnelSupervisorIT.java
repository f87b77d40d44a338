package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.testing.FreezableProxy;
import dev.lifeline.supervisor.testing.Http;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.HomeService;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.Tools;

/** The supervisor's tunnels against Debian's real sshd running the rendered bastion config. */
class TunnelSupervisorIT {
    private TestBastion bastion;
    private HomeService home;
    private TunnelSupervisor supervisor;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Down> downs = new CopyOnWriteArrayList<>();
    private final TunnelListener recorder = new TunnelListener() {
        @Override
        public void stateChanged(TunnelState state) {
            if (state.status() == TunnelState.Status.DOWN) {
                downs.add(new Down(java.time.Instant.now(), state.lastError()));
            }
        }

        @Override
        public void hostKeyMismatch(String tunnel, String expected, String presented) {
            events.add("hostKeyMismatch " + tunnel + " " + expected + " " + presented);
        }

        @Override
        public void forwardRefused(String tunnel, int count) {
            events.add("forwardRefused " + tunnel + " " + count);
        }
    };

    /** A DOWN as the tunnel announced it: when, and "…, next try in N ms". */
    private record Down(java.time.Instant at, String error) {
        Duration nextTryIn() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("next try in (\\d+) ms").matcher(error);
            return m.find() ? Duration.ofMillis(Long.parseLong(m.group(1))) : Duration.ZERO;
        }
    }

    @BeforeEach
    void startBastion() {
        bastion = TestBastion.start(List.of("-o", "LogLevel=DEBUG1"));
        home = HomeService.start("home");
    }

    @AfterEach
    void stopAll() {
        if (supervisor != null) {
            supervisor.close();
        }
        home.close();
        bastion.close();
    }

    private void startSupervisor(SupervisorConfig config) {
        supervisor = TunnelSupervisor.start(config.tunnelPlan(), recorder, Clock.systemUTC(), new Random(7));
    }

    private TunnelState primary() {
        return supervisor.states().get(0);
    }

    private Duration awaitUpAndServing(Duration bound) {
        int port = bastion.tunnelPort(0);
        return Await.until("tunnel up and carrying HTTP", bound, () -> primary().isUp() && "home".equals(Http.get(port)));
    }

    @Test
    void aTunnelCarriesHttpFromTheBastionToTheHomeService() {
        startSupervisor(bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0));

        awaitUpAndServing(Duration.ofSeconds(10));

        assertThat(Http.get(bastion.tunnelPort(0))).isEqualTo("home");
        assertThat(primary().bytesIn()).as("bytes through the tunnel are counted").isPositive();
        assertThat(bastion.sshd().log()).as("the supervisor asks for a remote forward")
                .contains("rtype tcpip-forward")
                .as("and never for a shell, a command or SFTP").doesNotContain("ctype session");
    }

    @Test
    void aTunnelWithABindAddressConnectsFromThatAddress() {
        SupervisorConfig plain = bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0);
        var t = plain.tunnels().get(0);
        SupervisorConfig bound = new SupervisorConfig(plain.bastion(), List.of(new TunnelConfig(
                t.name(), t.user(), t.key(), t.remotePort(), t.localHost(), t.localPort(), "127.0.0.7")), plain.ssh());

        startSupervisor(bound);
        awaitUpAndServing(Duration.ofSeconds(10));

        assertThat(bastion.sshd().log()).contains("Accepted publickey for " + t.user() + " from 127.0.0.7");
    }

    @Test
    void killingTheSshdChildOfASessionHealthyPastHealthyAfterIsRetriedAtOnce() throws Exception {
        startSupervisor(bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0));
        awaitUpAndServing(Duration.ofSeconds(10));
        Thread.sleep(2500); // the scenario itself: healthy for longer than healthyAfter (2 s), so its loss is news, not a pattern

        bastion.sshd().killSessions();
        java.time.Instant killed = java.time.Instant.now();
        Await.until("the supervisor notices the session is gone", Duration.ofSeconds(10), () -> !downs.isEmpty());
        awaitUpAndServing(Duration.ofSeconds(15));
        Duration back = Duration.between(killed, java.time.Instant.now());

        System.out.printf("tunnel back %d ms after its sshd child was killed (%s)%n", back.toMillis(), downs.get(0).error());
        assertThat(downs.get(0).error()).as("no backoff after a healthy session").endsWith("retrying now");
        assertThat(downs).as("the one retry succeeded").hasSize(1);
        assertThat(primary().reconnects()).isEqualTo(1);
    }

    /**
     * sshd restarted (stopped, back half a second later): a session that had been healthy is retried at once, which
     * finds nothing listening, and then every 250 ms instead of after the backoff's first step, so the first try after
     * sshd answers comes within a quarter second and succeeds.
     */
    @Test
    void aHealthyTunnelRetriesEveryQuarterSecondWhileItsSshdRestarts() throws Exception {
        startSupervisor(bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0));
        awaitUpAndServing(Duration.ofSeconds(10));
        Thread.sleep(2500); // healthy for longer than healthyAfter (2 s)

        bastion.stopSshd();
        Await.until("the retries find sshd away", Duration.ofSeconds(10),
                () -> downs.stream().filter(d -> d.nextTryIn().equals(ReconnectPolicy.RESTART_RETRY)).count() >= 2);
        bastion.startSshd(); // returns once sshd listens
        java.time.Instant answering = java.time.Instant.now();
        Duration back = awaitUpAndServing(Duration.ofSeconds(10));

        System.out.printf("sshd restarted: %d failed tries while it was away (%s), back %d ms after it answered%n", downs.size(),
                downs.stream().map(d -> d.nextTryIn().toMillis() + " ms").toList(), back.toMillis());
        assertThat(downs.get(0).error()).as("no wait after a healthy session").endsWith("retrying now");
        assertThat(downs.subList(1, downs.size())).as("while sshd was away: a try every 250 ms, not the backoff's 200 ms doubling")
                .allSatisfy(d -> assertThat(d.nextTryIn()).isEqualTo(ReconnectPolicy.RESTART_RETRY));
        assertThat(downs.stream().filter(d -> d.at().isAfter(answering)).count())
                .as("the first try after sshd answered succeeds").isZero();
    }

    @Test
    void sshdGoneLongEnoughToCapTheBackoffTheTunnelTriesAgainWithinOneCappedStepOfSshdAnswering() {
        startSupervisor(bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0));
        awaitUpAndServing(Duration.ofSeconds(10));

        bastion.stopSshd();
        // fast settings: backoff 200 ms doubling to a cap of 3 s, so the fifth failure in a row waits the cap (waits of
        // 250 ms are the restart retries of a session that had been healthy, not the backoff)
        Await.until("five refused attempts in a row: the backoff at its cap", Duration.ofSeconds(20),
                () -> downs.stream().filter(d -> d.error().contains("next try in")
                        && !d.nextTryIn().equals(ReconnectPolicy.RESTART_RETRY)).count() >= 5);
        bastion.startSshd();   // returns once sshd listens
        java.time.Instant answering = java.time.Instant.now();
        awaitUpAndServing(Duration.ofSeconds(10));

        Down last = downs.stream().filter(d -> d.at().isBefore(answering)).reduce((a, b) -> b).orElseThrow();
        Duration wait = Duration.between(answering, last.at().plus(last.nextTryIn()));
        System.out.printf("after %d failed attempts the tunnel waited %d ms (cap 3 s); its next try came %d ms after sshd answered%n",
                downs.size(), last.nextTryIn().toMillis(), Math.max(0, wait.toMillis()));
        assertThat(last.nextTryIn()).as("the last wait before sshd answered is one capped step").isLessThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(downs.stream().filter(d -> d.at().isAfter(answering)).count())
                .as("the first try after sshd answered succeeds: no failure after it").isZero();
    }

    @Test
    void aSilentlyDeadPathIsNoticedWithinTheKeepaliveBoundAndTheTunnelBindsAgainAfterSshdDropsTheOldSession() {
        try (FreezableProxy path = new FreezableProxy(bastion.sshPort())) {
            startSupervisor(bastion.config(path.port(), home.port(), TestBastion.fastSettings(), 0));
            awaitUpAndServing(Duration.ofSeconds(10));

            path.freeze();
            Duration noticed = Await.until("keepalives notice the dead path", Duration.ofSeconds(10), () -> !primary().isUp());
            Duration rebound = awaitUpAndServing(Duration.ofSeconds(25));

            System.out.printf("silent death: noticed after %d ms (bound 1 s x 3 + 1 s), serving again %d ms later%n",
                    noticed.toMillis(), rebound.toMillis());
            assertThat(noticed).isLessThanOrEqualTo(Duration.ofSeconds(3 + 1));
            assertThat(primary().lastFailure()).isNull();
            assertThat(primary().reconnects()).isGreaterThanOrEqualTo(1);
            // The old listener is held until sshd's client-alive gives up (≈ 12 s on OpenSSH 9.2):
            // until then the bastion refuses the bind, and the supervisor keeps retrying.
            assertThat(noticed.plus(rebound)).isLessThanOrEqualTo(Duration.ofSeconds(12 + 3 + 2));
        }
    }

    @Test
    void aWrongHostKeyIsRefusedBeforeAnyCredentialIsSent() {
        SupervisorConfig good = bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0);
        String otherKey = TestKeys.ed25519("impostor").publicLine();
        SupervisorConfig wrong = new SupervisorConfig(new dev.lifeline.supervisor.cloud.BastionConfig("local", "127.0.0.1",
                bastion.sshPort(), otherKey, null), good.tunnels(), good.ssh());

        startSupervisor(wrong);
        // the event comes from the key check on MINA's thread, the state from the tunnel's own thread just after
        Await.until("the mismatch is reported", Duration.ofSeconds(10),
                () -> !events.isEmpty() && primary().lastFailure() == FailureKind.HOST_KEY_MISMATCH);

        assertThat(primary().isUp()).isFalse();
        assertThat(primary().lastFailure()).isEqualTo(FailureKind.HOST_KEY_MISMATCH);
        assertThat(events.get(0)).startsWith("hostKeyMismatch primary SHA256:").contains(" SHA256:");
        assertThat(bastion.sshd().log()).as("no key was offered to the impostor")
                .doesNotContain("userauth-request for user").doesNotContain("publickey");
    }

    @Test
    void aDownTunnelSaysWhenItTriesNextAndReconnectNowMovesThatTimeUp() {
        SupervisorConfig good = bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0);
        SshSection f = good.ssh();
        Duration cap = Duration.ofMinutes(10);
        SshSection slow = new SshSection(f.keepaliveInterval(), f.keepaliveMaxMisses(), f.connectTimeout(), f.authTimeout(),
                f.backoffInitial(), cap, f.healthyAfter(), f.forwardFailureAlertAfter(), null);
        SupervisorConfig wrong = new SupervisorConfig(new dev.lifeline.supervisor.cloud.BastionConfig("local", "127.0.0.1",
                bastion.sshPort(), TestKeys.ed25519("impostor").publicLine(), null), good.tunnels(), slow);

        startSupervisor(wrong);
        Await.until("the mismatch is the tunnel's state", Duration.ofSeconds(10), () -> primary().nextTry() != null);
        java.time.Instant seen = java.time.Instant.now();
        java.time.Instant first = primary().nextTry();

        assertThat(primary().status()).isEqualTo(TunnelState.Status.DOWN);
        assertThat(first).as("a failure only an admin can fix waits the cap").isBetween(seen.plus(cap).minusSeconds(30), seen.plus(cap));
        supervisor.reconnectNow();   // the bastion was just started: the wait is cut short, and the state says so
        Await.until("tried again at once, and a new next try announced", Duration.ofSeconds(10),
                () -> primary().nextTry() != null && primary().nextTry().isAfter(first));
        assertThat(downs.size()).as("a second refusal, long before the first wait was over").isGreaterThanOrEqualTo(2);
    }

    @Test
    void theOldListenerStillHeldMeansTheBindIsRefusedAndRetriedThenAnEventAfterKRefusals() throws Exception {
        // A frozen sshd child keeps the port: exactly the stale listener of a dead session.
        startSupervisor(bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0));
        awaitUpAndServing(Duration.ofSeconds(10));
        List<ProcessHandle> children = ProcessHandle.of(bastion.sshd().pid()).orElseThrow().descendants().toList();
        for (ProcessHandle c : children) {
            Tools.run(5, List.of("/bin/kill", "-STOP", String.valueOf(c.pid())));
        }
        try {
            Await.until("forward refused three times", Duration.ofSeconds(20),
                    () -> events.stream().anyMatch(e -> e.equals("forwardRefused primary 3")));
            assertThat(primary().lastFailure()).isEqualTo(FailureKind.FORWARD_REFUSED);
        } finally {
            for (ProcessHandle c : children) {
                Tools.run(5, List.of("/bin/kill", "-CONT", String.valueOf(c.pid())));
            }
        }
        awaitUpAndServing(Duration.ofSeconds(10));
    }
}
