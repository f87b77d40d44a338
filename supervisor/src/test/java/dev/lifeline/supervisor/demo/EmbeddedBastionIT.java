package dev.lifeline.supervisor.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lifeline.templates.spec.SshPublicKey;
import dev.lifeline.templates.testing.BastionRoot;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.OpenSshClient;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.Tools;

/** The demo's embedded bastion holds the hardened sshd's tunnel rules, tried with the real OpenSSH client. */
class EmbeddedBastionIT {
    private final TestKeys tunnelKey = TestKeys.ed25519("demo-tunnel");
    private final int sshPort = FreePorts.next();
    private final int ownPort = FreePorts.next();
    private final int otherPort = FreePorts.next();
    private BastionRoot root;
    private EmbeddedBastion bastion;
    private DemoHome home;
    private OpenSshClient client;

    @BeforeEach
    void start() {
        root = BastionRoot.create();
        home = new DemoHome();
        bastion = new EmbeddedBastion(sshPort, Map.of("tunnel1",
                new EmbeddedBastion.TunnelUser(SshPublicKey.parse(tunnelKey.publicLine()).toPublicKey(), ownPort)));
        bastion.start();
        Path knownHosts = root.write("/client/known_hosts", "[127.0.0.1]:" + sshPort + " " + bastion.hostKeyLine() + "\n", "0644");
        client = new OpenSshClient(OpenSshClient.writeIdentity(root, "t1", tunnelKey), knownHosts, sshPort);
    }

    @AfterEach
    void stop() {
        bastion.close();
        home.close();
        root.close();
    }

    private OpenSshClient.Background remote(String spec, String log) {
        return client.background("tunnel1", List.of("-o", "ExitOnForwardFailure=yes", "-R", spec), root.path("/client/" + log));
    }

    @Test
    void theTunnelKeyMayHoldItsOwnLoopbackPortAndVisitorsReachHome() throws Exception {
        try (var t = remote("127.0.0.1:" + ownPort + ":127.0.0.1:" + home.port(), "own.log")) {
            String body = null;
            for (int i = 0; i < 50 && body == null; i++) {
                try {
                    body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ownPort + "/"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
                } catch (java.io.IOException notYet) {
                    Thread.sleep(100);
                }
            }
            assertThat(body).as("ssh: %s", t.output()).startsWith("hello from home");
            assertThat(t.exitsWithin(500)).isFalse();
        }
    }

    @Test
    void anotherPortOrAPublicBindIsRefused() throws Exception {
        try (var other = remote("127.0.0.1:" + otherPort + ":127.0.0.1:" + home.port(), "other.log");
             var any = remote("0.0.0.0:" + ownPort + ":127.0.0.1:" + home.port(), "any.log")) {
            assertThat(other.exitsWithin(10_000)).as("another port").isTrue();
            assertThat(any.exitsWithin(10_000)).as("all addresses").isTrue();
            assertThat(other.output()).contains("remote port forwarding failed");
        }
    }

    @Test
    void noShellNoCommandNoLocalForward() throws Exception {
        Tools.Result command = client.ssh("tunnel1", List.of(), "echo", "ran-a-command");
        assertThat(command.exitCode()).isNotZero();
        assertThat(command.output()).doesNotContain("ran-a-command");

        try (var local = client.background("tunnel1", List.of("-o", "ExitOnForwardFailure=yes", "-L",
                FreePorts.next() + ":127.0.0.1:" + home.port()), root.path("/client/local.log"))) {
            Thread.sleep(1000);
        }
        assertThat(home.hits()).as("nothing reached home through a -L").isZero();
    }

    @Test
    void anyOtherKeyIsRefused() {
        OpenSshClient stranger = new OpenSshClient(OpenSshClient.writeIdentity(root, "x", TestKeys.ed25519("x")),
                root.path("/client/known_hosts"), sshPort);

        Tools.Result r = stranger.ssh("tunnel1", List.of(), "true");

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("Permission denied");
    }
}
