package dev.lifeline.templates.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.render.BastionLayout;
import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.testing.BastionRoot;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.HomeService;
import dev.lifeline.templates.testing.KeepAliveConnection;
import dev.lifeline.templates.testing.RealNginx;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.TestStacks;
import dev.lifeline.templates.testing.Tools;

/** The rendered nginx.conf in Debian's real nginx: HTTPS in front of two tunnel ports, the second as backup. */
class NginxFailoverIT {
    private final int primaryPort = FreePorts.next();
    private final int backupPort = FreePorts.next();
    private final int httpsPort = FreePorts.next();
    private final int httpPort = FreePorts.next();
    private BastionRoot root;
    private RealNginx nginx;
    private BastionSpec spec;

    @BeforeEach
    void startNginx() {
        spec = BastionSpecReader.read(TestStacks.validAws().json("tunnels", List.of(
                Map.of("name", "tunnel1", "port", primaryPort, "publicKey", TestKeys.ed25519("t1").publicLine()),
                Map.of("name", "tunnel2", "port", backupPort, "publicKey", TestKeys.ed25519("t2").publicLine()))));
        root = BastionRoot.create();
        root.write(BastionFiles.render(spec, BastionLayout.onLoopback(root.root(), httpPort, httpsPort, "http://127.0.0.1:9")));
        nginx = RealNginx.start(root, httpsPort);
    }

    @AfterEach
    void stopNginx() {
        nginx.close();
        root.close();
    }

    @Test
    void requestsGoToTheBackupTunnelWhenNothingListensOnThePrimary() {
        try (HomeService backup = HomeService.start("via-backup", backupPort)) {
            for (int i = 0; i < 5; i++) {
                Tools.Result r = httpsGet("/");
                assertThat(r.exitCode()).as("curl: %s\nnginx: %s", r, nginx.log()).isZero();
                assertThat(r.output()).isEqualTo("via-backup 200");
            }
            assertThat(backup.hits()).isEqualTo(5);
        }
    }

    @Test
    void thePrimaryTunnelServesWhileItIsUp() {
        try (HomeService primary = HomeService.start("via-primary", primaryPort);
             HomeService backup = HomeService.start("via-backup", backupPort)) {
            Tools.Result r = httpsGet("/");
            assertThat(r.output()).as("nginx: %s", nginx.log()).isEqualTo("via-primary 200");
            assertThat(backup.hits()).isZero();
        }
    }

    @Test
    void plainHttpIsRedirectedToHttps() {
        Tools.Result r = Tools.run(20, List.of(Tools.which("curl"), "-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
                "http://127.0.0.1:" + httpPort + "/x"));
        assertThat(r.output()).startsWith("301 https://127.0.0.1/x");
    }

    @Test
    void theSpeedTestFileIsServedByTheBastionItselfAndRateLimitedPerAddress() throws Exception {
        byte[] blob = new byte[1_000_000];
        new java.security.SecureRandom().nextBytes(blob);
        java.nio.file.Files.write(root.path("/var/www/lifeline/speed.bin"), blob);

        List<String> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(curlTls("-o", "/dev/null", "-w", "%{http_code} %{size_download}", spec.speedPath()).output());
        }

        assertThat(answers.get(0)).as("nginx: %s", nginx.log()).isEqualTo("200 1000000");
        assertThat(answers.get(5)).as("past the burst of 3 at 6 a minute: refused").startsWith("503 ");
        assertThat(answers.stream().filter(a -> a.equals("200 1000000")).count()).isBetween(3L, 5L);
    }

    @Test
    void aKeepAliveConnectionServesOneThousandRequestsThenClosesCleanlyAndTheNextConnectionGoesOn() throws Exception {
        try (HomeService primary = HomeService.start("via-primary", primaryPort)) {
            KeepAliveConnection.Outcome first = KeepAliveConnection.run(trustingOurCertificate(), httpsPort, 1200);
            KeepAliveConnection.Outcome second = KeepAliveConnection.run(trustingOurCertificate(), httpsPort, 5);

            assertThat(first.answered()).as("answers on one connection before nginx ended it (%s)", first).isEqualTo(1000);
            assertThat(first.okAnswers()).as("every one of them served").isEqualTo(1000);
            assertThat(first.lastSaidClose()).as("the 1000th answer says Connection: close, so no client is cut off").isTrue();
            assertThat(first.closedAfterLast()).as("then nginx closed the connection").isTrue();
            assertThat(second.okAnswers()).as("a new connection is served at once").isEqualTo(5);
            assertThat(primary.hits()).isEqualTo(1005);
        }
    }

    private javax.net.ssl.SSLContext trustingOurCertificate() throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = java.nio.file.Files.newInputStream(root.path("/etc/lifeline/tls/fullchain.pem"))) {
            trust.setCertificateEntry("bastion", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** curl trusting exactly the certificate lifeline-tls-setup made, by the name it was made for. */
    private Tools.Result httpsGet(String path) {
        return curlTls("-w", " %{http_code}", path);
    }

    private Tools.Result curlTls(String... argsThenPath) {
        String name = "lifeline-test";
        List<String> cmd = new java.util.ArrayList<>(List.of(Tools.which("curl"), "-sS", "--max-time", "10",
                "--cacert", root.path("/etc/lifeline/tls/fullchain.pem").toString(),
                "--resolve", name + ":" + httpsPort + ":127.0.0.1"));
        cmd.addAll(List.of(argsThenPath).subList(0, argsThenPath.length - 1));
        cmd.add("https://" + name + ":" + httpsPort + argsThenPath[argsThenPath.length - 1]);
        return Tools.run(20, cmd);
    }
}
