package dev.lifeline.templates.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.render.BastionLayout;
import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.testing.BastionRoot;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.RealSshd;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.TestStacks;
import dev.lifeline.templates.testing.TestUsers;
import dev.lifeline.templates.testing.Tools;

/**
 * ssh-audit (pinned in ci/test.sh) against Debian's real sshd running the rendered sshd_config (issue 15, part 6):
 * no failure and no warning, and the key exchanges offered are exactly the rendered KexAlgorithms.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshAuditIT {
    private static final String SSH_AUDIT = "/opt/lifeline-ci/venv/bin/ssh-audit";
    private BastionRoot root;
    private RealSshd sshd;
    private BastionSpec spec;

    @BeforeAll
    void startBastion() {
        TestStacks stack = TestStacks.validAws()
                .set("sshPort", String.valueOf(FreePorts.next()))
                .set("adminUser", TestUsers.ADMIN)
                .json("adminKeys", List.of(TestKeys.ed25519("admin@laptop").publicLine()))
                .json("tunnels", List.of(Map.of("name", TestUsers.TUNNEL1, "port", FreePorts.next(),
                        "publicKey", TestKeys.ed25519("t1@pi").publicLine())))
                .remove("web");
        spec = BastionSpecReader.read(stack);
        root = BastionRoot.create();
        root.write(BastionFiles.render(spec, BastionLayout.onLoopback(root.root(), FreePorts.next(), FreePorts.next(),
                "http://127.0.0.1:9")));
        sshd = RealSshd.start(root, spec);
    }

    @AfterAll
    void stopBastion() {
        if (sshd != null) {
            sshd.close();
        }
        if (root != null) {
            root.close();
        }
    }

    @Test
    void sshAuditFailsNothingWarnsNothingAndSeesOnlyTheRenderedKeyExchanges() throws Exception {
        Tools.require(SSH_AUDIT);
        Path json = root.path("/ssh-audit.json");

        // --skip-rate-test: the connection-rate (DHEat) probe measures the bastion's firewall, which is not in front
        // of this sshd; here PerSourceMaxStartups is what bounds one address (the next test).
        // The text run, as a person reads it. (Its exit code is no verdict here: 3.9 exits 2 on this server although
        // it marks nothing [fail], apparently for its Terrapin note about unpatched peers.)
        Tools.Result audit = Tools.run(120, List.of(SSH_AUDIT, "--no-colors", "--skip-rate-test", "-p",
                String.valueOf(spec.sshPort()), "127.0.0.1"));
        // The JSON run (-j) gives the findings by algorithm.
        Tools.Result jsonRun = Tools.run(120, List.of("/bin/sh", "-c",
                SSH_AUDIT + " -j --skip-rate-test -p " + spec.sshPort() + " 127.0.0.1 > " + json));
        assertThat(Files.size(json)).as("%s", jsonRun).isPositive();
        JsonNode report = new ObjectMapper().readTree(Files.readString(json));

        List<String> fail = findings(report, "fail");
        List<String> warn = findings(report, "warn");
        System.out.println("SshAuditIT: ssh-audit " + fail.size() + " fail, " + warn.size() + " warn; kex offered "
                + names(report.path("kex")));
        assertThat(fail).as("ssh-audit failures").isEmpty();
        // 3.9 warns about every exchange without a post-quantum part (curve25519-sha256 among them): the bastion
        // offers only the hybrid, which the supervisor's tunnels run with Bouncy Castle (supervisor KexChoice).
        assertThat(warn).as("ssh-audit warnings").isEmpty();
        assertThat(audit.output()).as("%s", audit).contains("(gen) banner: SSH-2.0-OpenSSH_")
                .doesNotContain("[fail]").doesNotContain("[warn]");
        assertThat(report.path("banner").path("software").asText()).as("it audited OpenSSH").startsWith("OpenSSH_");
        // What sshd offers on the wire, as ssh-audit saw it, is what the rendered file asks for (sshd adds only its
        // strict-kex marker, kex-strict-s-v00@openssh.com, the Terrapin countermeasure).
        List<String> rendered = renderedKexAlgorithms();
        assertThat(rendered).as("the template names only post-quantum hybrids").isNotEmpty()
                .allMatch(k -> k.startsWith("sntrup761x25519-") || k.startsWith("mlkem"));
        assertThat(names(report.path("kex")).stream().filter(k -> !k.startsWith("kex-strict-")).toList())
                .as("kex offered by sshd").containsExactlyElementsOf(rendered);
    }

    /** The KexAlgorithms line of the sshd_config this sshd runs. */
    private List<String> renderedKexAlgorithms() throws IOException {
        return Files.readAllLines(root.path(BastionFiles.SSHD_CONFIG)).stream()
                .filter(l -> l.startsWith("KexAlgorithms "))
                .map(l -> List.of(l.substring("KexAlgorithms ".length()).strip().split(",")))
                .reduce((a, b) -> {
                    throw new IllegalStateException("two KexAlgorithms lines");
                })
                .orElseThrow(() -> new IllegalStateException("no KexAlgorithms line in the rendered sshd_config"));
    }

    @Test
    void oneAddressCannotHoldMoreThanFourUnauthenticatedConnections() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            // a scanner that connects and says nothing: sshd keeps each for LoginGraceTime
            for (int i = 0; i < 4; i++) {
                Socket s = connectFrom("127.0.0.1");
                held.add(s);
                assertThat(banner(s)).as("connection %d of 4 is served", i + 1).startsWith("SSH-2.0-OpenSSH_");
            }
            try (Socket fifth = connectFrom("127.0.0.1")) {
                assertThat(banner(fifth)).as("the fifth from the same address is turned away").isEqualTo("Exceeded MaxStartups");
                assertThat(fifth.getInputStream().read()).as("and closed").isEqualTo(-1);
            }
            try (Socket other = connectFrom("127.0.0.2")) {
                assertThat(banner(other)).as("another address still gets in").startsWith("SSH-2.0-OpenSSH_");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private Socket connectFrom(String source) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), spec.sshPort()), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** The server's first line, or "" when it closes the connection without one. */
    private static String banner(Socket s) throws IOException {
        StringBuilder line = new StringBuilder();
        InputStream in = s.getInputStream();
        for (int c = in.read(); c != -1 && c != '\n' && line.length() < 255; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().strip();
    }

    /** "fail" or "warn" entries anywhere in the report's recommendations, e.g. kex, key, enc, mac. */
    private static List<String> findings(JsonNode report, String level) {
        List<String> out = new ArrayList<>();
        for (String section : List.of("kex", "key", "enc", "mac")) {
            for (JsonNode alg : report.path(section)) {
                for (JsonNode note : alg.path("notes").path(level)) {
                    out.add(section + " " + alg.path("algorithm").asText() + ": " + note.asText());
                }
            }
        }
        report.path("cves").forEach(c -> out.add("cve " + c.path("name").asText()));
        return out;
    }

    private static List<String> names(JsonNode algorithms) {
        List<String> out = new ArrayList<>();
        algorithms.forEach(a -> out.add(a.path("algorithm").asText()));
        return out;
    }
}
