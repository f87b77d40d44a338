package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KexProposalOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.testing.Http;
import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.HomeService;
import dev.lifeline.templates.testing.Tools;

/**
 * The tunnels' key exchange against Debian's real sshd running the rendered sshd_config: the post-quantum hybrid
 * sntrup761x25519-sha512, which is all the bastion offers (SshAuditIT), and what it costs per handshake.
 */
class PostQuantumKexIT {
    private static final String HYBRID = "sntrup761x25519-sha512@openssh.com";

    @Test
    void theTunnelClientNegotiatesTheHybridWithTheRenderedSshd() throws Exception {
        try (TestBastion bastion = TestBastion.start(List.of("-o", "LogLevel=DEBUG1"));
             HomeService home = HomeService.start("home")) {
            TunnelPlan plan = bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0).tunnelPlan();
            SshClient client = client(plan);
            try {
                TunnelTarget t = plan.tunnels().get(0);
                Tunnel tunnel = new Tunnel(t, plan.bastionHost(), plan.bastionPort(), Identity.load(t.key()), client, plan.settings(),
                        new org.apache.sshd.common.util.net.SshdSocketAddress("127.0.0.1", 9));
                try (ClientSession session = tunnel.open()) {
                    // MINA's own record of the negotiation, and sshd's (DEBUG1 logs "kex: algorithm: NAME")
                    assertThat(session.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS)).isEqualTo(HYBRID);
                    assertThat(bastion.sshd().log()).contains("kex: algorithm: " + HYBRID)
                            .doesNotContain("kex: algorithm: curve25519");
                }
            } finally {
                client.stop();
            }
        }
    }

    /**
     * lifeline.jar as the systemd unit runs it: the shaded jar (Bouncy Castle's signature files stripped, as for
     * every dependency) runs the hybrid, and BC stays a library, never a registered JCE provider.
     */
    @Test
    void theShadedJarTunnelsWithTheHybridAndBouncyCastleStaysOffTheProviderList(@TempDir Path dir) {
        try (TestBastion bastion = TestBastion.start(List.of("-o", "LogLevel=DEBUG1"));
             HomeService home = HomeService.start("home");
             SupervisorProcess supervisor = SupervisorProcess.start(
                     bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0), dir)) {
            Await.until("the tunnel carries HTTP; supervisor log:\n" + supervisor.log(), Duration.ofSeconds(30),
                    () -> "home".equals(Http.get(bastion.tunnelPort(0))));
            assertThat(bastion.sshd().log()).contains("kex: algorithm: " + HYBRID);
            // and the cipher CipherChoice picks for this CPU (sshd DEBUG1: "kex: client->server cipher: NAME MAC: …")
            String cipher = CipherChoice.order(List.of()).get(0).getName();
            assertThat(bastion.sshd().log()).as("the cipher the jar chose; sshd log").contains("client->server cipher: " + cipher + " ")
                    .contains("server->client cipher: " + cipher + " ");

            // Live objects by class in the supervisor's JVM: BC's NTRU Prime parameters are there (the kex ran on
            // the jar's BC); a BouncyCastleProvider would be there too had MINA registered it.
            Tools.Result histogram = Tools.run(60, List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(supervisor.pid()), "GC.class_histogram"));
            assertThat(histogram.exitCode()).as("%s", histogram).isZero();
            assertThat(histogram.output()).contains("org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimeParameters")
                    .doesNotContain("org.bouncycastle.jce.provider.BouncyCastleProvider");
        }
    }

    @Test
    void aClientWithOnlyTheClassicalExchangeIsTurnedAway() throws Exception {
        try (TestBastion bastion = TestBastion.start(List.of("-o", "LogLevel=DEBUG1"));
             HomeService home = HomeService.start("home")) {
            TunnelPlan plan = bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0).tunnelPlan();
            SshClient client = client(plan);
            try {
                // what the supervisor did before it carried Bouncy Castle
                client.setKeyExchangeFactories(List.of(ClientBuilder.DH2KEX.apply(BuiltinDHFactories.curve25519)));
                assertThatThrownBy(() -> {
                    try (ClientSession s = login(client, plan)) {
                        s.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS);
                    }
                }).hasStackTraceContaining("Unable to negotiate key exchange for kex algorithms");
                // sshd's side of the refusal: written by sshd's own process after the client has seen the disconnect
                Await.until("sshd logs \"no matching key exchange method found\"", Duration.ofSeconds(10),
                        () -> bastion.sshd().log().contains("no matching key exchange method found"));
            } finally {
                client.stop();
            }
        }
    }

    /**
     * The cost, printed for the record (a shared 2-core machine makes any bound here flaky): 20 logins each way,
     * connect + key exchange + public-key login, against one sshd that offers both exchanges for this comparison only.
     */
    @Test
    void handshakeTimeOfTheHybridBesideCurve25519() throws Exception {
        try (TestBastion bastion = TestBastion.start(List.of("-o", "KexAlgorithms=" + HYBRID + ",curve25519-sha256"));
             HomeService home = HomeService.start("home")) {
            TunnelPlan plan = bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0).tunnelPlan();
            SshClient hybrid = client(plan);
            SshClient classical = client(plan);
            classical.setKeyExchangeFactories(List.of(ClientBuilder.DH2KEX.apply(BuiltinDHFactories.curve25519)));
            try {
                // warm-up: class loading and JIT for both, so neither pays the other's first-use cost
                for (int i = 0; i < 3; i++) {
                    handshake(hybrid, plan, HYBRID);
                    handshake(classical, plan, "curve25519-sha256");
                }
                List<Long> h = new ArrayList<>();
                List<Long> c = new ArrayList<>();
                for (int i = 0; i < 20; i++) { // interleaved, so a burst of load elsewhere hits both alike
                    h.add(handshake(hybrid, plan, HYBRID));
                    c.add(handshake(classical, plan, "curve25519-sha256"));
                }
                System.out.printf("PostQuantumKexIT: 20 logins each, median/mean ms: %s %s, curve25519-sha256 %s%n",
                        HYBRID, summary(h), summary(c));
                assertThat(h).hasSize(20);
                assertThat(c).hasSize(20);
            } finally {
                hybrid.stop();
                classical.stop();
            }
        }
    }

    private static SshClient client(TunnelPlan plan) {
        return SshClients.create(plan.settings(), plan.bastionHostKey().toPublicKey(), java.util.Map.of(), java.util.Set.of(), TunnelListener.NONE);
    }

    /** One login's wall time in microseconds; checks the exchange it was meant to measure was the one used. */
    private static long handshake(SshClient client, TunnelPlan plan, String expectedKex) throws Exception {
        long start = System.nanoTime();
        try (ClientSession s = login(client, plan)) {
            long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
            assertThat(s.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS)).isEqualTo(expectedKex);
            return micros;
        }
    }

    private static ClientSession login(SshClient client, TunnelPlan plan) throws Exception {
        TunnelTarget t = plan.tunnels().get(0);
        ClientSession s = client.connect(t.user(), plan.bastionHost(), plan.bastionPort())
                .verify(Duration.ofSeconds(10)).getSession();
        try {
            s.addPublicKeyIdentity(Identity.load(t.key()));
            s.auth().verify(Duration.ofSeconds(10));
            return s;
        } catch (Exception | Error e) {
            s.close(true);
            throw e;
        }
    }

    private static String summary(List<Long> micros) {
        List<Long> sorted = micros.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2) / 1000.0;
        double mean = micros.stream().mapToLong(Long::longValue).average().orElseThrow() / 1000.0;
        return String.format("%.1f/%.1f", median, mean);
    }
}
