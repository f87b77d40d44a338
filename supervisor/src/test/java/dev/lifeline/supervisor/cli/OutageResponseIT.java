package dev.lifeline.supervisor.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

import dev.lifeline.supervisor.alert.Alerting;
import dev.lifeline.supervisor.cloud.AwsSection;
import dev.lifeline.supervisor.cloud.BastionConfig;
import dev.lifeline.supervisor.cloud.BastionMode;
import dev.lifeline.supervisor.cloud.BastionProvider;
import dev.lifeline.supervisor.cloud.Ec2Instances;
import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.config.LinksSection;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.event.Event;
import dev.lifeline.supervisor.link.PrimaryLinkConfig;
import dev.lifeline.supervisor.policy.PolicySection;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.HomeService;
import dev.lifeline.templates.testing.MotoServer;

/**
 * The whole outage response in real time, in process: real TCP probes against a "primary line" target on
 * loopback, the real tracker and policy, AWS SDK calls to a real EC2 emulator (moto), and real tunnels through
 * Debian's sshd running the rendered bastion config. Short timings, generous bounds.
 */
class OutageResponseIT {
    @TempDir
    Path state;

    private MotoServer moto;
    private String instanceId;
    private TestBastion bastion;
    private HomeService home;
    private ServerSocket primaryTarget;
    private int primaryPort;
    private SupervisorRuntime runtime;
    private final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        moto = MotoServer.start();
        instanceId = Ec2Instances.runOne(moto.endpoint());
        try (Ec2Client ec2 = ec2()) {
            ec2.stopInstances(r -> r.instanceIds(instanceId));
        }
        bastion = TestBastion.start(List.of());
        home = HomeService.start("home");
        primaryPort = FreePorts.next();
        primaryTarget = listen(primaryPort);
    }

    @AfterEach
    void stop() throws IOException {
        if (runtime != null) {
            runtime.close();
        }
        primaryTarget.close();
        home.close();
        bastion.close();
        moto.close();
    }

    @Test
    void anOutageStartsTheBastionOnceTheTunnelComesUpAndRecoveryStopsItOnlyAfterTheLastConnectionCloses() throws Exception {
        runtime = SupervisorRuntime.start(config(), events::add, Clock.systemDefaultZone());
        Await.until("the tunnel up", Duration.ofSeconds(15), () -> runtime.tunnels().states().get(0).isUp());
        assertThat(state()).isEqualTo("stopped");

        primaryTarget.close();
        Duration toRunning = Await.until("the bastion started", Duration.ofSeconds(20), () -> "running".equals(state()));
        assertThat(toRunning).as("3 rounds of 300 ms plus the cloud call").isLessThan(Duration.ofSeconds(10));
        // announced once the policy's own poll (every 5 s) has seen it running
        Await.until("the start announced", Duration.ofSeconds(15), () -> kinds().contains(Event.Kind.BASTION_STARTED));
        assertThat(kinds()).containsSubsequence(Event.Kind.OUTAGE_STARTED, Event.Kind.BASTION_STARTED);

        try (Socket admin = new Socket(InetAddress.getLoopbackAddress(), bastion.tunnelPort(0))) {
            // connected and silent, like an SSH session waiting for its user: the forwarded channel stays open
            Await.until("the connection counted", Duration.ofSeconds(5), () -> runtime.tunnels().openConnections() == 1);

            primaryTarget = listen(primaryPort);
            Await.until("primary back", Duration.ofSeconds(10), () -> runtime.policySnapshot().primaryUpSince() != null);
            Thread.sleep(2000 + SupervisorRuntime.POLICY_TICK.toMillis() * 2);
            assertThat(state()).as("an admin is still connected through the tunnel").isEqualTo("running");
        }
        Duration toStopped = Await.until("the bastion stopped", Duration.ofSeconds(20), () -> "stopped".equals(state()));
        assertThat(toStopped).isLessThan(Duration.ofSeconds(15));
        Await.until("the end announced", Duration.ofSeconds(15), () -> kinds().contains(Event.Kind.OUTAGE_ENDED));
        assertThat(kinds()).containsSubsequence(Event.Kind.OUTAGE_STARTED, Event.Kind.BASTION_STARTED,
                Event.Kind.BASTION_STOPPED, Event.Kind.OUTAGE_ENDED);
        assertThat(kinds()).filteredOn(k -> k == Event.Kind.BASTION_STARTED).hasSize(1);
    }

    /**
     * Issue 18, part 5 ("move the supervisor to a new Pi"): mid-outage, with alerts still pending because Twilio
     * refuses, the supervisor is stopped and its state directory copied beside a fresh config directory, as the
     * README's recovery steps say. The copy resumes the open outage (no second start, no second announcement),
     * delivers what the old one had pending, and stops the bastion it started when the primary returns.
     */
    @Test
    void aStateDirectoryCopiedToANewPiResumesTheOpenOutageAndItsOutbox() throws Exception {
        WireMockServer twilio = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        twilio.start();
        try {
            twilio.stubFor(post(urlEqualTo(MESSAGES)).willReturn(aResponse().withStatus(500)
                    .withHeader("Content-Type", "application/json").withBody("{\"code\":20500,\"message\":\"down\",\"status\":500}")));
            Path oldPi = Files.createDirectories(state.resolve("old-pi"));
            Alerting alerting = startWithAlerts(yamlConfig(oldPi, twilio.baseUrl()));
            Await.until("the tunnel up", Duration.ofSeconds(15), () -> runtime.tunnels().states().get(0).isUp());
            primaryTarget.close();
            Await.until("the bastion started", Duration.ofSeconds(20), () -> "running".equals(state()));
            Await.until("the start announced", Duration.ofSeconds(15), () -> kinds().contains(Event.Kind.BASTION_STARTED));
            Instant outageSince = runtime.policySnapshot().outageSince();
            Await.until("the outage SMS tried and refused", Duration.ofSeconds(20), () -> !twilio.getAllServeEvents().isEmpty());
            runtime.close();   // as `lifeline run` stops: the tunnels first, then the outbox
            runtime = null;
            alerting.close();
            List<String> pending = outbox(oldPi.resolve("state"));
            assertThat(pending).as("alerts pending when the old Pi stopped").isNotEmpty();
            assertThat(state()).as("stopping the supervisor leaves the bastion to whoever comes next").isEqualTo("running");

            // the new Pi: the state directory copied, a config of its own in another directory
            Path newPi = Files.createDirectories(state.resolve("new-pi"));
            copyTree(oldPi.resolve("state"), newPi.resolve("state"));
            twilio.resetAll();
            twilio.stubFor(post(urlEqualTo(MESSAGES)).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                    .withBody("{\"sid\":\"SM" + "0".repeat(32) + "\",\"status\":\"queued\",\"account_sid\":\"" + SID + "\"}")));
            events.clear();
            alerting = startWithAlerts(yamlConfig(newPi, twilio.baseUrl()));

            assertThat(runtime.policySnapshot().outageSince()).as("the same outage, resumed").isEqualTo(outageSince);
            Await.until("the old Pi's pending alerts delivered", Duration.ofSeconds(60), () -> outbox(newPi.resolve("state")).isEmpty());
            assertThat(twilio.getAllServeEvents()).as("each pending alert sent once").hasSize(pending.size());
            primaryTarget = listen(primaryPort);
            Await.until("the bastion the old Pi started, stopped by the new one", Duration.ofSeconds(30), () -> "stopped".equals(state()));
            // announced once the policy's own poll has seen it stopped (not at the instant EC2 says so)
            Await.until("the stop announced", Duration.ofSeconds(15), () -> kinds().contains(Event.Kind.BASTION_STOPPED));
            assertThat(kinds()).as("no second outage or start").doesNotContain(Event.Kind.OUTAGE_STARTED, Event.Kind.BASTION_STARTED)
                    .contains(Event.Kind.BASTION_STOPPED);
            if (runtime != null) {
                runtime.close();
                runtime = null;
            }
            alerting.close();
        } finally {
            twilio.stop();
        }
    }

    /** The runtime and its alert outbox wired as `lifeline run` wires them (RunCommand). */
    private Alerting startWithAlerts(Path config) {
        SupervisorConfig cfg = ConfigLoader.load(config);
        Alerting alerting = Alerting.start(cfg.alerts(), cfg.stateDir(), Clock.systemDefaultZone());
        runtime = SupervisorRuntime.start(cfg, e -> {
            events.add(e);
            alerting.publish(e);
        }, Clock.systemDefaultZone());
        return alerting;
    }

    private static final String SID = "AC" + "0123456789abcdef".repeat(2);
    private static final String MESSAGES = "/2010-04-01/Accounts/" + SID + "/Messages.json";

    /** The config file a Pi would have, in {@code dir}: this outage set-up, Twilio at {@code twilio}, state in dir/state. */
    private Path yamlConfig(Path dir, String twilio) throws IOException {
        Path token = TestConfigs.privateFile(dir.resolve("twilio-token"), "0f1e2d3c4b5a69788796a5b4c3d2e1f0\n");
        return Files.writeString(dir.resolve("lifeline.yaml"), """
                bastion:
                  provider: aws
                  host: 127.0.0.1
                  port: %d
                  hostKey: "%s"
                  aws: {region: eu-central-1, instanceId: %s, endpoint: "%s"}
                tunnels:
                  - {name: primary, user: %s, key: %s, remote: "127.0.0.1:%d", local: "127.0.0.1:%d"}
                ssh: {keepaliveInterval: 1s, keepaliveMaxMisses: 3, connectTimeout: 3s, authTimeout: 5s,
                      backoffInitial: 200ms, backoffMax: 3s, healthyAfter: 2s}
                links:
                  primary: {probes: ["tcp://127.0.0.1:%d"], interval: 300ms, timeout: 200ms, reliability: 1, down: 3, up: 3}
                policy: {recoveryHold: 2s, minOn: 0s}
                stateDir: %s
                alerts:
                  twilio: {accountSid: %s, authTokenFile: %s, from: "+14155550100", to: ["+14155550111"], endpoint: "%s"}
                """.formatted(bastion.sshPort(), bastion.spec().hostKey().knownHostsLine("127.0.0.1", bastion.sshPort()), instanceId,
                moto.endpoint(), bastion.spec().tunnels().get(0).name(), bastion.key(0), bastion.tunnelPort(0), home.port(),
                primaryPort, dir.resolve("state"), SID, token, twilio));
    }

    private static List<String> outbox(Path stateDir) {
        try (var files = Files.list(stateDir.resolve("outbox"))) {
            return files.map(Path::toString).filter(f -> f.endsWith(".json")).toList();
        } catch (IOException e) {
            return List.of("(unreadable: " + e + ")");
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private SupervisorConfig config() {
        SupervisorConfig tunnels = bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0);
        BastionConfig b = tunnels.bastion();
        BastionConfig aws = new BastionConfig(BastionProvider.AWS, b.host(), b.port(), b.hostKey(), BastionMode.ON_OUTAGE,
                new AwsSection("eu-central-1", instanceId, moto.endpoint()), null);
        PrimaryLinkConfig primary = new PrimaryLinkConfig(null, List.of("tcp://127.0.0.1:" + primaryPort), Duration.ofMillis(300),
                Duration.ofMillis(200), 1, 3, 3, null, Duration.ofMinutes(1));
        return new SupervisorConfig(aws, tunnels.tunnels(), tunnels.ssh(), new LinksSection(primary, null),
                new PolicySection(Duration.ofSeconds(2), Duration.ZERO), state);
    }

    private List<Event.Kind> kinds() {
        return events.stream().map(Event::kind).toList();
    }

    private String state() {
        try (Ec2Client ec2 = ec2()) {
            return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0).state().nameAsString();
        }
    }

    private Ec2Client ec2() {
        return Ec2Client.builder().endpointOverride(moto.endpoint()).region(Region.EU_CENTRAL_1).build();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }
}
