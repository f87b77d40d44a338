package dev.lifeline.supervisor.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import dev.lifeline.supervisor.cloud.BastionConfig;
import dev.lifeline.supervisor.cloud.CloudSettings;
import dev.lifeline.supervisor.cloud.LocalHooks;
import dev.lifeline.supervisor.config.LinksSection;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.demo.DemoHome;
import dev.lifeline.supervisor.demo.EmbeddedBastion;
import dev.lifeline.supervisor.event.Event;
import dev.lifeline.supervisor.event.EventSink;
import dev.lifeline.supervisor.link.PrimaryLinkConfig;
import dev.lifeline.supervisor.policy.PolicySection;
import dev.lifeline.supervisor.status.OutboxView;
import dev.lifeline.supervisor.status.StatusSection;
import dev.lifeline.supervisor.tunnel.SshSection;
import dev.lifeline.supervisor.tunnel.TunnelConfig;

/**
 * The whole story on this machine in about half a minute, no cloud account and no root: the real supervisor
 * (tunnels, probes, tracker, outage policy) with a bastion embedded in this process as the {@code local} provider, a
 * "primary line" that is one TCP port on loopback, and a home web page. The line is cut, the bastion starts, the
 * tunnel comes up, a request goes through; the line comes back, the bastion stops.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Shows the outage story on this machine in about 30 s: no cloud account, no root.", "",
            "An embedded bastion (same forward-only rules as the hardened sshd) plays the cloud VM; a port on",
            "127.0.0.1 plays the primary line. Prints a timeline; exit 0 when every step happened."})
final class DemoCommand implements Callable<Integer> {
    private static final Duration STEP_BOUND = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private long t0;
    private final java.util.Set<Integer> takenPorts = new java.util.HashSet<>();

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        t0 = System.nanoTime();
        Path dir = Files.createTempDirectory("lifeline-demo");
        KeyPair tunnelKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        Path keyFile = writePrivateKey(dir.resolve("tunnel1"), tunnelKey);
        // The home page listens first, on a port of its own choosing: a port picked below is free only until it is
        // bound, and a later bind to port 0 could be handed the same one (seen: the home page on the bastion's port).
        DemoHome home = new DemoHome();
        takenPorts.add(home.port());
        int bastionPort = freePort();
        int tunnelPort = freePort();
        int primaryPort = freePort();
        ServerSocket primaryLine = listen(primaryPort);
        try (home;
             EmbeddedBastion bastion = new EmbeddedBastion(bastionPort,
                     Map.of("tunnel1", new EmbeddedBastion.TunnelUser(tunnelKey.getPublic(), tunnelPort)))) {
            SupervisorConfig cfg = config(dir, keyFile, bastion, tunnelPort, home.port(), primaryPort);
            say("home page on 127.0.0.1:%d; primary line (a port on 127.0.0.1:%d) up; bastion stopped — on-outage mode, it costs nothing now",
                    home.port(), primaryPort);
            try (SupervisorRuntime runtime = SupervisorRuntime.start(cfg, timeline(), Clock.systemDefaultZone(),
                    CloudSettings.DEFAULTS.withPollInterval(Duration.ofMillis(200)), new LocalHooks(bastion::start, bastion::stop),
                    () -> OutboxView.EMPTY)) {
                if (runtime.statusUri() != null) {
                    say("status page while the demo runs: %s", runtime.statusUri());
                }
                pause(Duration.ofSeconds(3));
                say("cutting the primary line");
                primaryLine.close();
                long cut = System.nanoTime();
                if (!await("the tunnel to come up through the bastion", () -> runtime.tunnels().states().get(0).isUp())) {
                    return 1;
                }
                say("tunnel primary up through the bastion, %.1f s after the cut", (System.nanoTime() - cut) / 1e9);
                String page = get(tunnelPort);
                say("a visitor asks the bastion's tunnel port 127.0.0.1:%d and gets: %s", tunnelPort, page.trim());
                boolean served = page.startsWith("hello from home");
                pause(Duration.ofSeconds(2));
                say("the primary line is back");
                primaryLine = listen(primaryPort);
                if (!await("the bastion to stop after the recovery hold (5 s)", () -> !bastion.running())) {
                    return 1;
                }
                pause(Duration.ofMillis(500));
                say("done: %s", served ? "the home page was reachable through the bastion during the outage" : "the request did NOT get through");
                return served ? 0 : 1;
            }
        } finally {
            primaryLine.close();
            deleteQuietly(dir);
        }
    }

    private SupervisorConfig config(Path dir, Path key, EmbeddedBastion bastion, int tunnelPort, int homePort, int primaryPort)
            throws IOException {
        int statusPort = freePort();
        BastionConfig b = new BastionConfig("local", "127.0.0.1", bastion.port(), bastion.hostKeyLine(), "on-outage");
        TunnelConfig t = new TunnelConfig("primary", "tunnel1", key, tunnelPort, "127.0.0.1", homePort, null);
        SshSection ssh = new SshSection(Duration.ofSeconds(1), 3, Duration.ofSeconds(3), Duration.ofSeconds(3),
                Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(2), 3, null);
        PrimaryLinkConfig primary = new PrimaryLinkConfig(null, List.of("tcp://127.0.0.1:" + primaryPort), Duration.ofMillis(500),
                Duration.ofMillis(300), 1, 3, 3, null, Duration.ofMinutes(1));
        // the status page on a free port, sampled each second: the demo may run beside a real supervisor
        StatusSection status = new StatusSection(new InetSocketAddress(InetAddress.getLoopbackAddress(), statusPort), null,
                Duration.ofSeconds(1), StatusSection.T4G_NANO_PER_HOUR, 0);
        return new SupervisorConfig(b, List.of(t), ssh, new LinksSection(primary, null),
                new PolicySection(Duration.ofSeconds(5), Duration.ZERO), dir.resolve("state"), null, status, null);
    }

    /** Alerts come in a later step of the product; here every event is a line of the timeline. */
    private EventSink timeline() {
        return (Event e) -> say("%s: %s", e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '), e.text());
    }

    private synchronized void say(String format, Object... args) {
        out.printf(Locale.ROOT, "%6.1fs  %s%n", (System.nanoTime() - t0) / 1e9, String.format(Locale.ROOT, format, args));
        out.flush();
    }

    private boolean await(String what, BooleanSupplier done) throws InterruptedException {
        long until = System.nanoTime() + STEP_BOUND.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                say("FAILED: waited %d s for %s", STEP_BOUND.toSeconds(), what);
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    private static String get(int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static Path writePrivateKey(Path file, KeyPair pair) throws IOException, java.security.GeneralSecurityException {
        ByteArrayOutputStream pem = new ByteArrayOutputStream();
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "lifeline-demo", null, pem);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, pem.toByteArray());
        return file;
    }

    /** A free port on 127.0.0.1 that this demo has not handed out yet (each is bound later, by its owner). */
    private int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (takenPorts.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
        throw new IOException("no free port on 127.0.0.1 after 50 tries");
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        return s;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
