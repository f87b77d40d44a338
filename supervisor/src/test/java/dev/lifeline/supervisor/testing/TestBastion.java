package dev.lifeline.supervisor.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.lifeline.supervisor.cloud.BastionConfig;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.tunnel.SshSection;
import dev.lifeline.supervisor.tunnel.TunnelConfig;
import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.render.BastionLayout;
import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.testing.BastionRoot;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.RealNginx;
import dev.lifeline.templates.testing.RealSshd;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.TestStacks;
import dev.lifeline.templates.testing.TestUsers;

/**
 * The bastion as the supervisor meets it: the rendered sshd_config (and nginx.conf) in the real daemons on
 * loopback, two tunnel users with fresh keys on disk, and a supervisor config pointing at it all.
 */
public final class TestBastion implements AutoCloseable {
    private final BastionRoot root;
    private final BastionSpec spec;
    private final List<String> sshdArgs;
    private final Path[] keys = new Path[2];
    private Path adminKey;
    private final int httpsPort = FreePorts.next();
    private RealSshd sshd;
    private RealNginx nginx;
    private LossyLink link;

    private TestBastion(BastionRoot root, BastionSpec spec, List<String> sshdArgs) {
        this.root = root;
        this.spec = spec;
        this.sshdArgs = sshdArgs;
    }

    /** Renders and starts sshd; {@code sshdArgs} such as {@code -o LogLevel=DEBUG1}. */
    public static TestBastion start(List<String> sshdArgs) {
        return start(sshdArgs, null, s -> s);
    }

    /** The same with stack values of the test's own on top of the test stack, e.g. {@code s -> s.set("tunnelWatchdogQuiet", "8s")}. */
    public static TestBastion start(List<String> sshdArgs, java.util.function.UnaryOperator<TestStacks> stack) {
        return start(sshdArgs, null, stack);
    }

    /**
     * The same bastion at the far end of {@code link}: sshd (the rendered config, listening on the link's address) runs
     * in the link's namespace, so the tunnels' ports on 127.0.0.1 are the namespace's, reached with {@link LossyLink#inside}.
     */
    public static TestBastion startBehind(LossyLink link) {
        return start(List.of(), link, s -> s);
    }

    private static TestBastion start(List<String> sshdArgs, LossyLink link, java.util.function.UnaryOperator<TestStacks> stack) {
        TestKeys k1 = TestKeys.ed25519("t1@home");
        TestKeys k2 = TestKeys.ed25519("t2@home");
        TestKeys admin = TestKeys.ed25519("admin@laptop");
        int port1 = FreePorts.forTunnel();
        int port2 = FreePorts.forTunnel(port1);
        BastionSpec spec = BastionSpecReader.read(stack.apply(TestStacks.validAws()
                .set("sshPort", String.valueOf(FreePorts.forTunnel(port1, port2)))
                .set("adminUser", TestUsers.ADMIN)
                .json("adminKeys", List.of(admin.publicLine()))
                .json("tunnels", List.of(
                        Map.of("name", TestUsers.TUNNEL1, "port", port1, "publicKey", k1.publicLine()),
                        Map.of("name", TestUsers.TUNNEL2, "port", port2, "publicKey", k2.publicLine())))
                .remove("twilio").remove("twilioAuthToken")));
        BastionRoot root = BastionRoot.create();
        TestBastion b = new TestBastion(root, spec, sshdArgs);
        b.link = link;
        BastionLayout loopback = BastionLayout.onLoopback(root.root(), FreePorts.next(), b.httpsPort, "http://127.0.0.1:9");
        root.write(BastionFiles.render(spec, link == null ? loopback : new BastionLayout(loopback.root(),
                List.of(LossyLink.BASTION_ADDRESS), loopback.httpListen(), loopback.httpsListen(), loopback.twilioApi())));
        b.keys[0] = root.write("/home-pi/tunnel1", k1.privatePem(), "0600");
        b.keys[1] = root.write("/home-pi/tunnel2", k2.privatePem(), "0600");
        b.adminKey = root.write("/laptop/admin", admin.privatePem(), "0600");
        if (link != null) {
            // the bastion's own kernel settings, as cloud-init applies them (they are per network namespace)
            link.sysctlInside(root.path(BastionFiles.SYSCTL));
        }
        b.startSshd();
        return b;
    }

    public void startSshd() {
        sshd = link == null ? RealSshd.start(root, spec, sshdArgs) : RealSshd.startIn(link.namespace(), LossyLink.BASTION_ADDRESS, root, spec);
    }

    public void stopSshd() {
        sshd.close();
    }

    public RealSshd sshd() {
        return sshd;
    }

    /** nginx from the rendered config, tunnel 1 as the upstream and tunnel 2 as its backup. */
    public int startNginx() {
        nginx = RealNginx.start(root, httpsPort);
        return httpsPort;
    }

    public Path certificate() {
        return root.path("/etc/lifeline/tls/fullchain.pem");
    }

    public int sshPort() {
        return spec.sshPort();
    }

    public int tunnelPort(int i) {
        return spec.tunnels().get(i).port();
    }

    /** Where tunnel {@code i}'s supervisor answers the tunnel watchdog, through the same session. */
    public int healthPort(int i) {
        return spec.tunnels().get(i).healthPort();
    }

    public BastionSpec spec() {
        return spec;
    }

    public Path key(int i) {
        return keys[i];
    }

    /** The admin's private key (the stack's adminKeys), as on the admin's laptop. */
    public Path adminKey() {
        return adminKey;
    }

    public BastionRoot root() {
        return root;
    }

    /** Short timings so minutes of behaviour run in seconds. */
    public static SshSection fastSettings() {
        return new SshSection(Duration.ofSeconds(1), 3, Duration.ofSeconds(3), Duration.ofSeconds(5),
                Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofSeconds(2), 3, null);
    }

    /**
     * A supervisor config for {@code tunnels} of this bastion's tunnels (0, 1), each carried to {@code homePort},
     * reaching sshd at {@code port} (the real one, or a proxy in front of it).
     */
    public SupervisorConfig config(int port, int homePort, SshSection ssh, int... tunnels) {
        List<TunnelConfig> list = new ArrayList<>();
        for (int i : tunnels) {
            list.add(new TunnelConfig(i == 0 ? "primary" : "secondary", spec.tunnels().get(i).name(), keys[i].toString(),
                    "127.0.0.1:" + tunnelPort(i), "127.0.0.1:" + homePort, null, null));
        }
        String host = link == null ? "127.0.0.1" : LossyLink.BASTION_ADDRESS;
        BastionConfig bastion = new BastionConfig("local", host, port, spec.hostKey().knownHostsLine(host, port), null);
        return new SupervisorConfig(bastion, list, ssh);
    }

    @Override
    public void close() {
        if (nginx != null) {
            nginx.close();
        }
        if (sshd != null) {
            sshd.close();
        }
        root.close();
    }
}
