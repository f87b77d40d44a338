package dev.lifeline.templates.bastion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.render.BastionLayout;
import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.testing.BastionRoot;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.RealNginxDirs;
import dev.lifeline.templates.testing.TestStacks;
import dev.lifeline.templates.testing.Tools;

/**
 * The speed endpoint is no use to strangers (issue 15, part 2): Debian's real nginx with the rendered nginx.conf, in a
 * network namespace of this test's own so that clients can come from several IPv6 addresses, two of them in one /64.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpeedEndpointIT {
    private static final int SIZE = 1_000_000;
    private final String ns = "lifeline-speed-" + ProcessHandle.current().pid();
    private final int httpsPort = FreePorts.next();
    private BastionSpec spec;
    private BastionRoot root;
    private Process nginx;

    @BeforeAll
    void start() throws Exception {
        boolean isRoot = "root".equals(System.getProperty("user.name"));
        if ("true".equals(System.getenv("CI"))) {
            assertThat(isRoot).as("CI runs the tests as root (ci/test.sh)").isTrue();
        }
        assumeTrue(isRoot || "true".equals(System.getenv("CI")), "a network namespace with addresses of its own: skipped when not root (under CI=true, where ci/test.sh runs as root, it fails instead)");
        spec = BastionSpecReader.read(TestStacks.validAws());
        root = BastionRoot.create();
        root.write(BastionFiles.render(spec, new BastionLayout(root.root(), List.of("127.0.0.1"), List.of("127.0.0.1:" + FreePorts.next()),
                List.of("127.0.0.1:" + httpsPort, "[::]:" + httpsPort), "http://127.0.0.1:9")));
        RealNginxDirs.prepare(root);
        Tools.Result tls = Tools.run(30, List.of("/bin/bash", root.path(BastionFiles.TLS_SETUP).toString()),
                Map.of("LIFELINE_PUBLIC_IP", "127.0.0.1"), null);
        assertThat(tls.exitCode()).as("%s", tls).isZero();
        byte[] blob = new byte[SIZE];
        new SecureRandom().nextBytes(blob);
        Files.write(root.path("/var/www/lifeline/speed.bin"), blob);

        must(List.of("ip", "netns", "add", ns));
        for (String cmd : List.of("ip link set lo up", "ip -6 addr add 2001:db8:0:1::1/128 dev lo",
                "ip -6 addr add 2001:db8:0:1::2/128 dev lo", "ip -6 addr add 2001:db8:0:2::1/128 dev lo")) {
            must(inNamespace(cmd.split(" ")));
        }
        // ip netns exec runs nginx in place of itself: the PID is nginx's master
        nginx = new ProcessBuilder(inNamespace(Tools.which("nginx"), "-e", "stderr", "-p", root.root(),
                "-c", root.path(BastionFiles.NGINX_CONF).toString(), "-g", "daemon off;"))
                .redirectErrorStream(true).redirectOutput(root.path("/nginx.out").toFile()).start();
        Instant until = Instant.now().plus(Duration.ofSeconds(20));
        while (!get("127.0.0.1", "/").startsWith("404") && !get("127.0.0.1", "/").startsWith("502")) {
            assertThat(nginx.isAlive()).as("nginx: %s", Files.readString(root.path("/nginx.out"))).isTrue();
            assertThat(Instant.now()).as("nginx listens within 20 s").isBefore(until);
            Thread.sleep(100);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        Tools.run(30, List.of("ip", "netns", "del", ns));
        if (root != null) {
            root.close();
        }
    }

    @Test
    void withoutTheSecretThereIsNothingWithItTheFileAndTheLogKeepsNoPath() throws Exception {
        String secretPath = spec.speedPath();
        assertThat(secretPath).matches("/lifeline/speed/[0-9a-f]{32}");

        assertThat(get("127.0.0.1", "/lifeline/speed")).startsWith("404 ");
        assertThat(get("127.0.0.1", "/lifeline/speed/" + "0".repeat(32))).startsWith("404 ");
        assertThat(get("127.0.0.1", secretPath.substring(0, secretPath.length() - 1))).startsWith("404 ");
        assertThat(get("127.0.0.1", secretPath)).isEqualTo("200 " + SIZE);

        String log = Files.readString(root.path("/var/log/nginx/lifeline-speed.log"));
        assertThat(log).contains("127.0.0.1").contains(" 200 " + SIZE).doesNotContain(secretPath.substring("/lifeline/speed/".length()));
    }

    @Test
    void aBurstFromOneIpv6Slash64IsLimitedAndAnotherSlash64IsNot() {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(get("2001:db8:0:1::1", spec.speedPath()));
        }
        String sameNetwork = get("2001:db8:0:1::2", spec.speedPath());
        String otherNetwork = get("2001:db8:0:2::1", spec.speedPath());

        assertThat(answers).as("the first 4 (burst 3 at 6 a minute)").containsOnly("200 " + SIZE);
        assertThat(sameNetwork).as("another address of the same /64 shares its budget").startsWith("503 ");
        assertThat(otherNetwork).as("another /64 has its own").isEqualTo("200 " + SIZE);
    }

    /** "CODE BYTES" of an HTTPS GET from {@code source} inside the namespace (IPv6 sources dial ::1). */
    private String get(String source, String path) {
        String host = source.contains(":") ? "[::1]" : "127.0.0.1";
        Tools.Result r = Tools.run(30, inNamespace("curl", "-sk", "--max-time", "10", "--interface", source,
                "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "https://" + host + ":" + httpsPort + path));
        return r.output().strip();
    }

    private List<String> inNamespace(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        return cmd;
    }

    private static void must(List<String> command) {
        Tools.Result r = Tools.run(30, command);
        assertThat(r.exitCode()).as("%s: %s", command, r).isZero();
    }
}
