package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

import dev.lifeline.supervisor.cloud.Ec2Instances;
import dev.lifeline.supervisor.config.AwsSection;
import dev.lifeline.supervisor.config.BastionConfig;
import dev.lifeline.supervisor.config.LinksSection;
import dev.lifeline.supervisor.config.PolicySection;
import dev.lifeline.supervisor.config.PrimaryLinkConfig;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.event.Event;
import dev.lifeline.supervisor.testing.Await;
import dev.lifeline.templates.testing.MotoServer;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.HomeService;

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

    private SupervisorConfig config() {
        SupervisorConfig tunnels = bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0);
        BastionConfig b = tunnels.bastion();
        BastionConfig aws = new BastionConfig("aws", b.host(), b.port(), b.hostKey(), "on-outage",
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
