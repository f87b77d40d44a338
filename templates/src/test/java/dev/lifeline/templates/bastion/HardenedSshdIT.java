package dev.lifeline.templates.bastion;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.BasicCredentials;

import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.render.BastionLayout;
import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.testing.LocalForward;
import dev.lifeline.templates.testing.BastionRoot;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.HomeService;
import dev.lifeline.templates.testing.OpenSshClient;
import dev.lifeline.templates.testing.RealSshd;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.TestStacks;
import dev.lifeline.templates.testing.TestUsers;
import dev.lifeline.templates.testing.Tools;

/**
 * The rendered sshd_config, authorized_keys and login alert in Debian's real sshd, attacked with the real
 * OpenSSH client: what each key can and cannot do is decided by the files the bastion will run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardenedSshdIT {
    private static final String SID = "AC" + "0123456789abcdef".repeat(2);
    private static final String TOKEN = "9".repeat(16) + "abcdef0123456789";
    private static final String MESSAGES = "/2010-04-01/Accounts/" + SID + "/Messages.json";

    private final TestKeys adminKey = TestKeys.ed25519("admin@laptop");
    private final TestKeys tunnel1Key = TestKeys.ed25519("t1@pi");
    private final TestKeys tunnel2Key = TestKeys.ed25519("t2@pi");
    private final int tunnel1Port = FreePorts.forTunnel();
    private final int tunnel2Port = FreePorts.forTunnel(tunnel1Port);

    private TestStacks stack;
    private BastionSpec running;
    private WireMockServer twilio;
    private BastionRoot root;
    private RealSshd sshd;
    private HomeService home;
    private OpenSshClient admin;
    private OpenSshClient tunnel1;

    @BeforeAll
    void startBastion() {
        twilio = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        twilio.start();
        twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/.*/Messages.json"))
                .willReturn(aResponse().withStatus(201).withBody("{\"sid\":\"SM1\"}")));
        stack = TestStacks.validAws()
                .set("sshPort", String.valueOf(FreePorts.next()))
                .set("adminUser", TestUsers.ADMIN)
                .json("adminKeys", List.of(adminKey.publicLine()))
                .json("tunnels", List.of(
                        Map.of("name", TestUsers.TUNNEL1, "port", tunnel1Port, "publicKey", tunnel1Key.publicLine()),
                        Map.of("name", TestUsers.TUNNEL2, "port", tunnel2Port, "publicKey", tunnel2Key.publicLine())))
                .json("knownGoodIps", List.of("127.0.0.2/32"))
                .json("twilio", Map.of("accountSid", SID, "from", "+14155550100", "to", List.of("+14155550111")))
                .secret("twilioAuthToken", TOKEN)
                .remove("web");
        BastionSpec spec = BastionSpecReader.read(stack);
        running = spec;
        root = BastionRoot.create();
        root.write(BastionFiles.render(spec, BastionLayout.onLoopback(root.root(), FreePorts.next(), FreePorts.next(),
                "http://127.0.0.1:" + twilio.port())));
        sshd = RealSshd.start(root, spec);
        Path knownHosts = root.write("/client/known_hosts", spec.hostKey().knownHostsLine("127.0.0.1", spec.sshPort()) + "\n", "0644");
        admin = new OpenSshClient(OpenSshClient.writeIdentity(root, "admin", adminKey), knownHosts, spec.sshPort());
        tunnel1 = new OpenSshClient(OpenSshClient.writeIdentity(root, "tunnel1", tunnel1Key), knownHosts, spec.sshPort());
        home = HomeService.start("home");
    }

    @AfterAll
    void stopBastion() {
        if (home != null) {
            home.close();
        }
        if (sshd != null) {
            sshd.close();
        }
        if (twilio != null) {
            twilio.stop();
        }
        if (root != null) {
            root.close();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Logins {
        @Test
        void passwordLoginIsNotEvenOffered() {
            Tools.Result r = admin.ssh(TestUsers.ADMIN, List.of("-o", "PubkeyAuthentication=no",
                    "-o", "PreferredAuthentications=password,keyboard-interactive"), "true");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(255);
            assertThat(r.output()).contains("Permission denied (publickey)");
        }

        @Test
        void rootIsRefusedEvenWithAnAuthorizedKey() {
            root.write(BastionFiles.AUTHORIZED_KEYS_DIR + "/root", adminKey.publicLine() + "\n", "0644");
            Tools.Result r = admin.ssh("root", List.of(), "true");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(255);
            assertThat(r.output()).contains("Permission denied");
        }

        @Test
        void theAdminKeyLogsInAndRunsACommand() {
            Tools.Result r = admin.ssh(TestUsers.ADMIN, List.of(), "echo", "admin-is-in");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.output()).contains("admin-is-in");
        }

        @Test
        void aTunnelKeyIsNotAnAdminKey() {
            Tools.Result r = tunnel1.ssh(TestUsers.ADMIN, List.of(), "true");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(255);
        }

        /** Issue 18: the admin's jumps (-J, -W, -L) reach the tunnels' ports and no other port of the bastion. */
        @Test
        void theAdminMayOpenATunnelsPortAndNoOtherPort() throws Exception {
            // a listener where the second tunnel would be: what a ProxyJump through the bastion opens
            try (java.net.ServerSocket tunnelPort = new java.net.ServerSocket(tunnel2Port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                tunnelPort.setSoTimeout(20_000);
                Tools.Result r = admin.ssh(TestUsers.ADMIN, List.of("-W", "127.0.0.1:" + tunnel2Port));
                try (java.net.Socket reached = tunnelPort.accept()) {
                    assertThat(reached.isConnected()).isTrue();
                }
                assertThat(r.output()).as(r.toString()).doesNotContain("prohibited");
            }
            // a port something listens on (the home service stand-in), but no tunnel's
            Tools.Result other = admin.ssh(TestUsers.ADMIN, List.of("-W", "127.0.0.1:" + home.port()));
            assertThat(other.exitCode()).as(other.toString()).isEqualTo(255);
            assertThat(other.output()).contains("administratively prohibited");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class TunnelKey {
        @Test
        void mayListenOnItsOwnLoopbackPortAndCarryRequestsHome() throws Exception {
            try (var t = tunnel1.background(TestUsers.TUNNEL1, List.of("-o", "ExitOnForwardFailure=yes",
                    "-R", "127.0.0.1:" + tunnel1Port + ":127.0.0.1:" + home.port()), root.path("/client/t1-own.log"))) {
                String body = awaitHttp(tunnel1Port, Duration.ofSeconds(10));
                assertThat(body).as("request through the tunnel; ssh said: %s", t.output()).isEqualTo("home");
                assertThat(t.process().isAlive()).isTrue();
            }
        }

        @Test
        void aSilentlyDeadTunnelFreesItsPortWithinFifteenSeconds() throws Exception {
            try (var t = tunnel1.background(TestUsers.TUNNEL1, List.of("-o", "ExitOnForwardFailure=yes",
                    "-o", "ServerAliveInterval=0", "-R", "127.0.0.1:" + tunnel1Port + ":127.0.0.1:" + home.port()),
                    root.path("/client/t1-frozen.log"))) {
                assertThat(awaitHttp(tunnel1Port, Duration.ofSeconds(10))).isEqualTo("home");
                // A frozen client keeps its TCP connection open but answers nothing, like a carrier that drops
                // the flow without a reset: only sshd's client-alive probes can notice.
                Tools.Result stop = Tools.run(5, List.of("/bin/kill", "-STOP", String.valueOf(t.process().pid())));
                assertThat(stop.exitCode()).isZero();
                Instant frozenAt = Instant.now();
                try {
                    Instant until = frozenAt.plusSeconds(20);
                    // Watch with ss, never by connecting: on OpenSSH 9.2 any new connection to the forwarded port
                    // wakes sshd's loop and postpones its client-alive check.
                    while (listening(tunnel1Port) && Instant.now().isBefore(until)) {
                        Thread.sleep(200);
                    }
                    Duration freedAfter = Duration.between(frozenAt, Instant.now());
                    System.out.printf("silent tunnel death: listener freed after %.1f s%n", freedAfter.toMillis() / 1000.0);
                    assertThat(listening(tunnel1Port)).as("listener still held after %s", freedAfter).isFalse();
                    assertThat(freedAfter).isLessThanOrEqualTo(Duration.ofSeconds(15));
                } finally {
                    Tools.run(5, List.of("/bin/kill", "-CONT", String.valueOf(t.process().pid())));
                }
            }
        }

        @Test
        void mayNotListenOnAnotherTunnelsPort() throws Exception {
            assertForwardRefused("-R", "127.0.0.1:" + tunnel2Port + ":127.0.0.1:" + home.port(), "other-port");
        }

        @Test
        void mayNotListenOnAnotherTunnelsHealthPort() throws Exception {
            assertForwardRefused("-R", "127.0.0.1:" + (tunnel2Port + 1) + ":127.0.0.1:" + home.port(), "other-health-port");
        }

        @Test
        void mayNotListenOnAllAddresses() throws Exception {
            assertForwardRefused("-R", "0.0.0.0:" + tunnel1Port + ":127.0.0.1:" + home.port(), "any-address");
        }

        private void assertForwardRefused(String flag, String spec, String name) throws Exception {
            try (var t = tunnel1.background(TestUsers.TUNNEL1, List.of("-o", "ExitOnForwardFailure=yes", flag, spec),
                    root.path("/client/t1-" + name + ".log"))) {
                assertThat(t.exitsWithin(10_000)).as("ssh %s %s must be refused and exit", flag, spec).isTrue();
                assertThat(t.process().exitValue()).isNotZero();
                assertThat(t.output()).contains("remote port forwarding failed");
            }
        }

        @Test
        void mayNotForwardLocally() throws Exception {
            int local = FreePorts.next();
            int hitsBefore = home.hits();
            try (var t = tunnel1.background(TestUsers.TUNNEL1, List.of("-L", "127.0.0.1:" + local + ":127.0.0.1:" + home.port()),
                    root.path("/client/t1-local.log"))) {
                String answer = LocalForward.talkThrough(local, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10));
                assertThat(answer).as("-L must carry nothing; ssh said: %s", t.output()).doesNotContain("home");
                assertThat(home.hits()).isEqualTo(hitsBefore);
            }
        }

        @Test
        void mayNotOpenADynamicSocksForward() throws Exception {
            int local = FreePorts.next();
            int hitsBefore = home.hits();
            try (var t = tunnel1.background(TestUsers.TUNNEL1, List.of("-D", "127.0.0.1:" + local), root.path("/client/t1-socks.log"))) {
                // SOCKS4 CONNECT to the home service: a granted request answers 0x5a in the second byte.
                int port = home.port();
                byte[] connect = {4, 1, (byte) (port >> 8), (byte) port, 127, 0, 0, 1, 0};
                String answer = LocalForward.talkThrough(local, connect, Duration.ofSeconds(10));
                assertThat(answer.length() >= 2 && answer.charAt(1) == 0x5a).as("SOCKS request granted; ssh said: %s", t.output()).isFalse();
                assertThat(home.hits()).isEqualTo(hitsBefore);
            }
        }

        @Test
        void getsNoShell() {
            Tools.Result r = tunnel1.ssh(TestUsers.TUNNEL1, List.of("-tt"));
            assertThat(r.exitCode()).as(r.toString()).isNotZero();
            assertThat(r.output()).doesNotContain(TestUsers.TUNNEL1 + "@");
        }

        @Test
        void runsNoCommand() {
            Tools.Result r = tunnel1.ssh(TestUsers.TUNNEL1, List.of(), "echo", "tunnel-ran-a-command");
            assertThat(r.exitCode()).as(r.toString()).isNotZero();
            assertThat(r.output()).doesNotContain("tunnel-ran-a-command");
        }

        @Test
        void getsNoSftp() {
            Tools.Result r = tunnel1.sftp(TestUsers.TUNNEL1, "ls /\n");
            assertThat(r.exitCode()).as(r.toString()).isNotZero();
            assertThat(r.output()).doesNotContain("etc");
        }
    }

    /** Both layers bind a tunnel key to its port; each must hold on its own, so one mistake never opens it. */
    @Nested
    class EachLayerAlone {
        @Test
        void sshdConfigAloneKeepsATunnelKeyOffOtherPorts() throws Exception {
            assertOnlyOwnPortWith(files -> {
                String key = files.get(BastionFiles.AUTHORIZED_KEYS_DIR + "/" + TestUsers.TUNNEL1);
                // authorized_keys layer removed: the bare key, no restrict/permitlisten
                files.put(BastionFiles.AUTHORIZED_KEYS_DIR + "/" + TestUsers.TUNNEL1, tunnel1Key.publicLine() + "\n");
                assertThat(key).contains("permitlisten");
            });
        }

        @Test
        void authorizedKeysAloneKeepsATunnelKeyOffOtherPorts() throws Exception {
            assertOnlyOwnPortWith(files -> {
                String config = files.get(BastionFiles.SSHD_CONFIG);
                // sshd_config layer removed: this user may listen anywhere as far as sshd_config goes
                files.put(BastionFiles.SSHD_CONFIG, config.replace("PermitListen 127.0.0.1:" + tunnel1Port + " 127.0.0.1:" + (tunnel1Port + 1),
                        "PermitListen any"));
                assertThat(files.get(BastionFiles.SSHD_CONFIG)).isNotEqualTo(config);
            });
        }

        private void assertOnlyOwnPortWith(java.util.function.Consumer<Map<String, String>> weaken) throws Exception {
            BastionSpec spec = BastionSpecReader.read(stack.set("sshPort", String.valueOf(FreePorts.next())));
            try (BastionRoot layerRoot = BastionRoot.create()) {
                Map<String, String> files = new java.util.HashMap<>();
                var rendered = BastionFiles.render(spec, BastionLayout.onLoopback(layerRoot.root(), FreePorts.next(),
                        FreePorts.next(), "http://127.0.0.1:9"));
                rendered.forEach(f -> files.put(f.path(), f.content()));
                weaken.accept(files);
                rendered.forEach(f -> layerRoot.write(f.path(), files.get(f.path()), f.mode()));
                try (RealSshd weakened = RealSshd.start(layerRoot, spec)) {
                    Path knownHosts = layerRoot.write("/client/known_hosts", spec.hostKey().knownHostsLine("127.0.0.1", spec.sshPort()) + "\n", "0644");
                    OpenSshClient client = new OpenSshClient(OpenSshClient.writeIdentity(layerRoot, "t1", tunnel1Key), knownHosts, spec.sshPort());
                    try (var other = client.background(TestUsers.TUNNEL1, List.of("-o", "ExitOnForwardFailure=yes",
                            "-R", "127.0.0.1:" + tunnel2Port + ":127.0.0.1:" + home.port()), layerRoot.path("/client/other.log"))) {
                        assertThat(other.exitsWithin(10_000)).as("-R to another tunnel's port must fail; sshd: %s", weakened.log()).isTrue();
                        assertThat(other.output()).contains("remote port forwarding failed");
                    }
                    try (var own = client.background(TestUsers.TUNNEL1, List.of("-o", "ExitOnForwardFailure=yes",
                            "-R", "127.0.0.1:" + tunnel1Port + ":127.0.0.1:" + home.port()), layerRoot.path("/client/own.log"))) {
                        assertThat(awaitHttp(tunnel1Port, Duration.ofSeconds(10))).isEqualTo("home");
                    }
                }
            }
        }
    }

    /** Only the post-quantum hybrid is offered (SshAuditIT); these are the admin clients that still get in. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class KeyExchange {
        private static final String HYBRID = "sntrup761x25519-sha512@openssh.com";

        @Test
        void theAdminsOpenSshLogsInWithThePostQuantumHybrid() {
            Tools.Result r = admin.ssh(TestUsers.ADMIN, List.of("-v", "-b", "127.0.0.6"), "echo", "admin-is-in");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.output()).contains("kex: algorithm: " + HYBRID).contains("admin-is-in");
        }

        @Test
        void anOpenSshClientWithoutThePostQuantumHybridIsTurnedAway() {
            Tools.Result r = admin.ssh(TestUsers.ADMIN, List.of("-o", "KexAlgorithms=curve25519-sha256", "-b", "127.0.0.6"), "true");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(255);
            assertThat(r.output()).contains("no matching key exchange method found");
        }

        /** PuTTY as Debian 12 ships it (putty-tools 0.78): its plink, with the admin key converted by its puttygen. */
        @Test
        void puttysPlinkLogsInWithThePostQuantumHybrid() {
            Path ppk = root.path("/client/admin.ppk");
            Tools.Result convert = Tools.run(20, List.of("puttygen", root.path("/client/admin").toString(), "-O", "private",
                    "-o", ppk.toString()));
            assertThat(convert.exitCode()).as("%s", convert).isZero();
            Tools.Result r = Tools.run(30, List.of("plink", "-ssh", "-batch", "-v", "-P", String.valueOf(running.sshPort()),
                    "-i", ppk.toString(), "-hostkey", running.hostKey().publicKey().fingerprint(),
                    "-l", TestUsers.ADMIN, "127.0.0.1", "echo", "putty-is-in"));
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.output()).contains("NTRU Prime / Curve25519 hybrid key exchange").contains("putty-is-in");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class LoginAlert {
        @BeforeEach
        void clearStub() throws IOException {
            twilio.resetRequests();
        }

        @Test
        void anAdminLoginSendsOneSmsInTwiliosFormat() throws Exception {
            // An address no other test logs in from, so no earlier login's rate-limit stamp applies.
            Tools.Result r = admin.ssh(TestUsers.ADMIN, List.of("-b", "127.0.0.4"), "true");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            awaitRequests(1, Duration.ofSeconds(10));
            twilio.verify(1, postRequestedFor(urlEqualTo(MESSAGES))
                    .withBasicAuth(new BasicCredentials(SID, TOKEN))
                    .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                    .withFormParam("To", equalTo("+14155550111"))
                    .withFormParam("From", equalTo("+14155550100"))
                    .withFormParam("Body", com.github.tomakehurst.wiremock.client.WireMock.matching(
                            "lifeline: SSH login " + TestUsers.ADMIN + " from 127\\.0\\.0\\.4 on .+ at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC")));

            Tools.Result again = admin.ssh(TestUsers.ADMIN, List.of("-b", "127.0.0.4"), "true");
            assertThat(again.exitCode()).isZero();
            assertThat(requestsWithin(Duration.ofSeconds(3))).as("a second login within 10 min is rate-limited").isEqualTo(1);
        }

        @Test
        void aTwilioThatDoesNotAnswerNeverDelaysALogin() throws Exception {
            twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/.*/Messages.json"))
                    .willReturn(aResponse().withStatus(201).withFixedDelay(30_000)));
            try {
                Instant start = Instant.now();
                Tools.Result r = admin.ssh(TestUsers.ADMIN, List.of("-b", "127.0.0.5"), "true");
                Duration took = Duration.between(start, Instant.now());

                assertThat(r.exitCode()).as(r.toString()).isZero();
                assertThat(took).as("login with Twilio hanging").isLessThan(Duration.ofSeconds(3));
                awaitRequests(1, Duration.ofSeconds(10));
            } finally {
                twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/.*/Messages.json"))
                        .willReturn(aResponse().withStatus(201).withBody("{\"sid\":\"SM1\"}")));
            }
        }

        @Test
        void aLoginFromAKnownGoodAddressSendsNothing() throws Exception {
            Tools.Result r = admin.ssh(TestUsers.ADMIN, List.of("-b", "127.0.0.2"), "true");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(requestsWithin(Duration.ofSeconds(3))).isZero();
        }

        @Test
        void aTunnelLoginSendsNothing() throws Exception {
            try (var t = tunnel1.background(TestUsers.TUNNEL1, List.of("-b", "127.0.0.3", "-R",
                    "127.0.0.1:" + tunnel1Port + ":127.0.0.1:" + home.port()), root.path("/client/t1-alert.log"))) {
                assertThat(awaitHttp(tunnel1Port, Duration.ofSeconds(10))).isEqualTo("home");
                assertThat(requestsWithin(Duration.ofSeconds(3))).isZero();
            }
        }

        private void awaitRequests(int n, Duration bound) throws InterruptedException {
            Instant until = Instant.now().plus(bound);
            while (twilio.getAllServeEvents().size() < n && Instant.now().isBefore(until)) {
                Thread.sleep(100);
            }
            assertThat(twilio.getAllServeEvents()).as("SMS requests at the Twilio stub; sshd log:\n%s", sshd.log()).hasSize(n);
        }

        /** Waits the whole bound, then counts: proving that nothing arrives needs the wait. */
        private int requestsWithin(Duration bound) throws InterruptedException {
            Thread.sleep(bound.toMillis());
            return twilio.getAllServeEvents().size();
        }
    }

    private static String awaitHttp(int port, Duration bound) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant until = Instant.now().plus(bound);
        Exception last = null;
        while (Instant.now().isBefore(until)) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                return r.body();
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nothing answered on 127.0.0.1:" + port + " within " + bound, last);
    }

    /** Whether something listens on 127.0.0.1:port, asked of the kernel (ss), without touching the socket. */
    private static boolean listening(int port) {
        Tools.Result r = Tools.run(5, List.of(Tools.which("ss"), "-Hltn", "sport = :" + port));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("ss failed: " + r);
        }
        return !r.output().isBlank();
    }

}
