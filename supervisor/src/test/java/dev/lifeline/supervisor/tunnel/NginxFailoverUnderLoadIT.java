package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.testing.Await;
import dev.lifeline.supervisor.testing.Http;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.templates.testing.HomeService;
import dev.lifeline.templates.testing.TestUsers;

/**
 * Two tunnels behind the rendered nginx ({@code upstream} with the second as {@code backup}): the primary
 * tunnel dies under a steady stream of HTTPS requests and not one request fails.
 */
class NginxFailoverUnderLoadIT {
    private static final int WORKERS = 4;
    private static final Duration RUN = Duration.ofSeconds(10);

    private TestBastion bastion;
    private HomeService home;
    private TunnelSupervisor supervisor;

    @BeforeEach
    void start() {
        bastion = TestBastion.start(List.of());
        home = HomeService.start("home");
        supervisor = TunnelSupervisor.start(bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0, 1),
                TunnelListener.NONE, Clock.systemUTC(), new Random(11));
        Await.until("both tunnels carry HTTP", Duration.ofSeconds(15), () -> "home".equals(Http.get(bastion.tunnelPort(0)))
                && "home".equals(Http.get(bastion.tunnelPort(1))));
    }

    @AfterEach
    void stop() {
        supervisor.close();
        home.close();
        bastion.close();
    }

    @Test
    void killingThePrimaryTunnelUnderOneHundredRequestsASecondFailsNoRequest() throws Exception {
        int httpsPort = bastion.startNginx();
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(bastion)).connectTimeout(Duration.ofSeconds(3)).build();
        URI uri = URI.create("https://127.0.0.1:" + httpsPort + "/");
        AtomicInteger ok = new AtomicInteger();
        ConcurrentHashMap<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        Instant end = Instant.now().plus(RUN);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            Thread t = new Thread(() -> {
                while (Instant.now().isBefore(end)) {
                    try {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200 && r.body().equals("home")) {
                            ok.incrementAndGet();
                        } else {
                            failures.computeIfAbsent("HTTP " + r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        Thread.sleep(3000);
        int beforeKill = ok.get();
        bastion.sshd().killSessionsOf(TestUsers.TUNNEL1);
        for (Thread t : threads) {
            t.join(RUN.toMillis() + 10_000);
        }

        int total = ok.get() + failures.values().stream().mapToInt(AtomicInteger::get).sum();
        double rate = total / (double) RUN.toSeconds();
        System.out.printf("nginx failover under load: %d requests in %d s (%.0f/s), %d before the kill, failed: %s%n",
                total, RUN.toSeconds(), rate, beforeKill, failures);
        assertThat(rate).as("a steady stream of at least 100 requests a second").isGreaterThanOrEqualTo(100);
        assertThat(beforeKill).isPositive();
        assertThat(failures).as("failed requests").isEmpty();
        assertThat(supervisor.states().get(0).reconnects()).as("the primary tunnel was really killed and came back").isEqualTo(1);
    }

    /** Trusts exactly the certificate the rendered lifeline-tls-setup made for this bastion. */
    private static SSLContext trusting(TestBastion bastion) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(bastion.certificate())) {
            trust.setCertificateEntry("bastion", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
