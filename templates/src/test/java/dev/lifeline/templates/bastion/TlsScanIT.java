package dev.lifeline.templates.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.render.BastionLayout;
import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.testing.BastionRoot;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.RealNginx;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.TestStacks;
import dev.lifeline.templates.testing.Tools;

/**
 * The TLS the rendered nginx offers, as testssl.sh (Debian's package, installed by ci/test.sh) finds it against the
 * real nginx with the certificate the rendered setup script makes (issue 15, part 1); and what nginx tells the home
 * about the client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsScanIT {
    private final int tunnelPort = FreePorts.next();
    private final int httpsPort = FreePorts.next();
    private BastionRoot root;
    private RealNginx nginx;
    private HttpServer home;
    private final ConcurrentLinkedQueue<String> forwardedFor = new ConcurrentLinkedQueue<>();

    @BeforeAll
    void start() throws Exception {
        BastionSpec spec = BastionSpecReader.read(TestStacks.validAws().json("tunnels", List.of(
                Map.of("name", "tunnel1", "port", tunnelPort, "publicKey", TestKeys.ed25519("t1").publicLine()))));
        root = BastionRoot.create();
        root.write(BastionFiles.render(spec, BastionLayout.onLoopback(root.root(), FreePorts.next(), httpsPort, "http://127.0.0.1:9")));
        // the home service at the tunnel's port: it keeps the X-Forwarded-For it was given
        home = HttpServer.create(new InetSocketAddress("127.0.0.1", tunnelPort), 16);
        home.createContext("/", exchange -> {
            forwardedFor.add(String.valueOf(exchange.getRequestHeaders().get("X-Forwarded-For")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        home.start();
        nginx = RealNginx.start(root, httpsPort);
    }

    @AfterAll
    void stop() {
        if (nginx != null) {
            nginx.close();
        }
        if (home != null) {
            home.stop(0);
        }
        if (root != null) {
            root.close();
        }
    }

    @Test
    void testsslFindsNoCbcNoTicketsAndANamedCertificate() throws Exception {
        Path json = root.path("/testssl.json");
        // -p protocols, -s cipher categories (CBC among them), -S server defaults (certificate, tickets);
        // --fast skips the slow extras; --warnings batch never waits for a keypress
        Tools.Result scan = Tools.run(300, List.of(Tools.which("testssl"), "--fast", "--warnings", "batch", "--quiet",
                "--color", "0", "-p", "-s", "-S", "--jsonfile", json.toString(), "127.0.0.1:" + httpsPort));

        assertThat(Files.exists(json)).as("%s", scan).isTrue();
        JsonNode findings = new ObjectMapper().readTree(Files.readString(json));
        List<String> seen = new ArrayList<>();
        findings.forEach(f -> seen.add(f.path("id").asText() + " " + f.path("severity").asText() + " " + f.path("finding").asText()));
        System.out.println("TlsScanIT: testssl findings:\n  " + String.join("\n  ", seen));

        assertThat(finding(findings, "SSLv3")).startsWith("not offered");
        assertThat(finding(findings, "TLS1")).startsWith("not offered");
        assertThat(finding(findings, "TLS1_1")).startsWith("not offered");
        assertThat(finding(findings, "TLS1_2")).startsWith("offered");
        assertThat(finding(findings, "TLS1_3")).startsWith("offered");
        // testssl 3.0's "average" category is the CBC suites (LUCKY13-prone); "strong" the AEAD ones
        assertThat(finding(findings, "cipherlist_AVERAGE")).as("CBC suites").startsWith("not offered");
        assertThat(finding(findings, "cipherlist_3DES_IDEA")).startsWith("not offered");
        assertThat(finding(findings, "cipherlist_LOW")).startsWith("not offered");
        assertThat(finding(findings, "cipherlist_NULL")).startsWith("not offered");
        assertThat(finding(findings, "cipherlist_STRONG")).startsWith("offered");
        // testssl's ticket finding is no verdict: with tickets off, OpenSSL still answers TLS 1.3 clients with
        // stateful tickets (a cache reference, no ticket key), which testssl counts as tickets. TLS 1.2 below.
        assertThat(finding(findings, "cert_subjectAltName")).as("the self-signed certificate names the address").contains("127.0.0.1");
        assertThat(findings.findValues("id")).extracting(JsonNode::asText).doesNotContain("HSTS");
        // Nothing severe but what a self-signed certificate is by nature (no CA chain, no CRL or OCSP address):
        // with a domain, Let's Encrypt's certificate replaces it.
        assertThat(seen).as("%s", seen).filteredOn(s -> !s.startsWith("cert_chain_of_trust ") && !s.startsWith("cert_revocation "))
                .noneMatch(s -> s.contains(" CRITICAL ") || s.contains(" HIGH ") || s.contains(" MEDIUM "));
    }

    @Test
    void noSessionTicketIsIssuedSoNoTicketKeyExists() throws Exception {
        Path session = root.path("/tls12.session");
        // TLS 1.2: a ticket here would be the whole session state encrypted under nginx's ticket key
        Tools.Result connect = Tools.run(30, List.of("/bin/sh", "-c", "openssl s_client -connect 127.0.0.1:" + httpsPort
                + " -tls1_2 -sess_out " + session + " </dev/null"));
        assertThat(connect.output()).as("%s", connect).contains("Protocol  : TLSv1.2");
        Tools.Result text = Tools.run(30, List.of("openssl", "sess_id", "-in", session.toString(), "-noout", "-text"));

        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.output()).as("%s", text).contains("Session-ID: ").doesNotContain("TLS session ticket:");
    }

    @Test
    void aForgedForwardedForNeverReachesTheHome() throws Exception {
        forwardedFor.clear();
        Tools.Result r = Tools.run(30, List.of("curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}",
                "-H", "X-Forwarded-For: 203.0.113.66, 10.0.0.1", "https://127.0.0.1:" + httpsPort + "/"));

        assertThat(r.output()).as("%s", r).isEqualTo("200");
        assertThat(forwardedFor).containsExactly("[127.0.0.1]");
    }

    private static String finding(JsonNode findings, String id) {
        for (JsonNode f : findings) {
            if (f.path("id").asText().equals(id)) {
                return f.path("finding").asText();
            }
        }
        throw new AssertionError("testssl reported no " + id + "; it reported " + findings.findValuesAsText("id"));
    }
}
