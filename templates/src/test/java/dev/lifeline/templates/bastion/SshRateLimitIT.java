package dev.lifeline.templates.bastion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.render.BastionLayout;
import dev.lifeline.templates.render.RenderedFile;
import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.testing.BastionRoot;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.TestStacks;
import dev.lifeline.templates.testing.Tools;

/**
 * Pre-auth floods (issue 15, part 6): the rendered nftables rules, loaded into the kernel in a network namespace of
 * this test's own, rate new SSH connections per source (IPv6 per /64) without ever banning; fail2ban's ban, as
 * fail2ban itself reads the jail, is no longer than the tunnels' backoff cap.
 */
class SshRateLimitIT {
    /** The supervisor's tunnel backoff cap by default (supervisor TunnelSettings.DEFAULTS, backoffMax). */
    private static final int TUNNEL_BACKOFF_CAP_SECONDS = 30;
    private static final int BURST = 30;

    @Test
    void newSshConnectionsAreRatedPerAddressAndPerIpv6Slash64() throws Exception {
        requireRoot();
        BastionSpec spec = BastionSpecReader.read(TestStacks.validAws().set("sshPort", String.valueOf(FreePorts.next())));
        String ns = "lifeline-rate-" + ProcessHandle.current().pid();
        try (BastionRoot root = BastionRoot.create()) {
            Path rules = root.write("/nftables.conf", rendered(spec, BastionFiles.NFTABLES), "0600");
            Path probe = root.write("/ssh-rate-probe.py",
                    new String(getClass().getResourceAsStream("/ssh-rate-probe.py").readAllBytes()), "0644");
            must(List.of("ip", "netns", "add", ns));
            try {
                // loopback only, with a documentation IPv4 address and three IPv6 sources in two /64s
                for (String cmd : List.of("ip link set lo up", "ip addr add 198.18.0.1/32 dev lo",
                        "ip -6 addr add 2001:db8:0:1::1/128 dev lo", "ip -6 addr add 2001:db8:0:1::2/128 dev lo",
                        "ip -6 addr add 2001:db8:0:2::1/128 dev lo", "nft -f " + rules)) {
                    must(inNamespace(ns, cmd.split(" ")));
                }

                JsonNode first = probe(ns, probe, spec.sshPort(), 40,
                        "127.0.0.1", "198.18.0.1", "2001:db8:0:1::1", "2001:db8:0:1::2", "2001:db8:0:2::1");

                System.out.println("SshRateLimitIT: of 40 new connections in a row, accepted " + first);
                assertThat(first.path("127.0.0.1").asInt()).as("the burst, then one every 2 s").isBetween(BURST, BURST + 3);
                assertThat(first.path("198.18.0.1").asInt()).as("another address has its own budget").isBetween(BURST, BURST + 3);
                assertThat(first.path("2001:db8:0:1::1").asInt()).isBetween(BURST, BURST + 3);
                assertThat(first.path("2001:db8:0:1::2").asInt()).as("the same /64 shares the budget").isLessThan(10);
                assertThat(first.path("2001:db8:0:2::1").asInt()).as("another /64 has its own").isBetween(BURST, BURST + 3);

                // not a ban: once a token has refilled (one every 2 s), the same address gets in again
                Thread.sleep(2500);
                JsonNode later = probe(ns, probe, spec.sshPort(), 1, "127.0.0.1");
                assertThat(later.path("127.0.0.1").asInt()).as("a connection 2.5 s later").isEqualTo(1);
            } finally {
                Tools.run(30, List.of("ip", "netns", "del", ns));
            }
        }
    }

    @Test
    void fail2banBansInAggressiveModeForNoLongerThanTheTunnelBackoffCap() throws Exception {
        BastionSpec spec = BastionSpecReader.read(TestStacks.validAws());
        try (BastionRoot root = BastionRoot.create()) {
            Path dir = root.path("/fail2ban");
            Tools.Result copy = Tools.run(20, List.of("/bin/cp", "-a", "/etc/fail2ban", dir.toString()));
            assertThat(copy.exitCode()).as("%s", copy).isZero();
            Files.writeString(dir.resolve("jail.d/lifeline-sshd.conf"), rendered(spec, "/etc/fail2ban/jail.d/lifeline-sshd.conf"));

            // -d: the jail as fail2ban itself resolves it (Debian's defaults, then ours), one command per line
            Tools.Result dump = Tools.run(30, List.of(Tools.which("fail2ban-client"), "-c", dir.toString(), "-d"));

            assertThat(dump.exitCode()).as("%s", dump).isZero();
            List<Integer> bantimes = new ArrayList<>();
            // fail2ban passes the written value on: seconds, or a number with s/m/h/d
            Matcher m = Pattern.compile("\\['set', 'sshd', 'bantime', '(\\d+)([smhd]?)']").matcher(dump.output());
            while (m.find()) {
                int unit = switch (m.group(2)) {
                    case "m" -> 60;
                    case "h" -> 3600;
                    case "d" -> 86400;
                    default -> 1;
                };
                bantimes.add(Integer.parseInt(m.group(1)) * unit);
            }
            assertThat(bantimes).as("%s", dump).isNotEmpty().allSatisfy(b -> assertThat(b).isLessThanOrEqualTo(TUNNEL_BACKOFF_CAP_SECONDS));
            assertThat(dump.output()).as("a ban never grows").contains("['set', 'sshd', 'bantime.increment', False]")
                    // aggressive mode's own pattern: a client that never got as far as authentication
                    .contains("banner exchange");
        }
    }

    private static String rendered(BastionSpec spec, String path) {
        return BastionFiles.render(spec, BastionLayout.onVm()).stream().filter(f -> f.path().equals(path))
                .map(RenderedFile::content).findFirst().orElseThrow(() -> new AssertionError("no rendered " + path));
    }

    private static JsonNode probe(String ns, Path script, int port, int attempts, String... sources) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), String.valueOf(port), String.valueOf(attempts)));
        cmd.addAll(List.of(sources));
        Tools.Result r = Tools.run(120, inNamespace(ns, cmd.toArray(String[]::new)));
        assertThat(r.exitCode()).as("%s", r).isZero();
        return new ObjectMapper().readTree(r.output());
    }

    private static List<String> inNamespace(String ns, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        return cmd;
    }

    private static void must(List<String> command) {
        Tools.Result r = Tools.run(30, command);
        assertThat(r.exitCode()).as("%s: %s", command, r).isZero();
    }

    /** A network namespace and kernel rules: root only. ci/test.sh runs as root, so in CI not being root fails. */
    private static void requireRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if ("true".equals(System.getenv("CI"))) {
            assertThat(root).as("CI runs the tests as root (ci/test.sh)").isTrue();
        }
        assumeTrue(root || "true".equals(System.getenv("CI")), "loading nftables rules into a network namespace: skipped when not root (under CI=true, where ci/test.sh runs as root, it fails instead)");
    }
}
