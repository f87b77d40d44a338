package dev.lifeline.supervisor.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.lifeline.supervisor.cloud.BastionStatus.State;

/**
 * What the daemon needs from {@link AwsBastionControl}, run against any EC2 emulator: each subclass brings one
 * (moto, and LocalStack in Docker) and every scenario gets a fresh instance.
 *
 * <p>The two emulators agree on every call made here: LocalStack 4.13.1's EC2 is moto underneath (its pinned
 * moto-ext 5.1.20.post22, against moto 5.2.5 on the host); as far as these calls go, they differ only in the image
 * catalogue that {@link Ec2Instances#runOne} picks from. Where both differ from AWS, AWS is right, and the scenarios
 * are written so that they hold for AWS too:
 * <ul>
 * <li>State changes are instant in both (StopInstances answers "stopping", the next DescribeInstances says
 *     "stopped"); AWS takes seconds to minutes through pending/stopping. So every scenario awaits the state it
 *     wants by polling, as the daemon does, and never reads it off the answer to the call.</li>
 * <li>Both accept StartInstances on a terminated instance and list it as running again. AWS documents termination
 *     as "permanent and irreversible … it can't be recovered" (TerminateInstances, EC2 API Reference,
 *     docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TerminateInstances.html) and refuses such a start with
 *     IncorrectInstanceState (Error codes for the Amazon EC2 API, …/APIReference/errors-overview.html). So no
 *     scenario starts a terminated bastion: it would test the emulators' shortcut, not AWS. What is tested is what
 *     all three agree on: a terminated instance stays listed, as "terminated" (AWS: "for approximately one
 *     hour", same page), and the daemon sees it as {@link State#GONE}.</li>
 * <li>A malformed id ("bastion-1") gets InvalidInstanceID.Malformed from AWS (errors-overview, above) but
 *     InvalidInstanceID.NotFound from both emulators; {@code AwsSection} refuses such an id before any call, so
 *     neither answer can reach the daemon, and {@link AwsErrors} treats both codes alike in any case.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Ec2BastionScenarios {
    static final CloudSettings FAST = CloudSettings.DEFAULTS.withPollInterval(Duration.ofMillis(200));

    private String instanceId;
    private BastionControl control;

    /** The emulator's EC2 endpoint on 127.0.0.1. */
    abstract URI endpoint();

    @BeforeEach
    void freshInstance() {
        instanceId = Ec2Instances.runOne(endpoint());
        control = new AwsBastionControl(Ec2Instances.section(endpoint(), instanceId), FAST);
        assertThat(control.await(State.RUNNING, Duration.ofSeconds(30)).state()).as("a new instance comes up").isEqualTo(State.RUNNING);
    }

    @AfterEach
    void closeControl() {
        control.close();
    }

    @Test
    void statusNamesTheInstanceItsStateAndTheProvidersWord() {
        BastionStatus status = control.status();

        assertThat(status.id()).isEqualTo(instanceId);
        assertThat(status.state()).isEqualTo(State.RUNNING);
        assertThat(status.detail()).isEqualTo("running");
        assertThat(control.describe()).isEqualTo("aws " + instanceId + " (" + Ec2Instances.REGION + ")");
    }

    @Test
    void stopThenStartBringsTheBastionDownAndBackUp() {
        Instant t0 = Instant.now();
        control.stop();
        BastionStatus stopped = control.await(State.STOPPED, Duration.ofSeconds(30));
        Duration stopTook = Duration.between(t0, Instant.now());

        assertThat(stopped.state()).isEqualTo(State.STOPPED);
        assertThat(stopped.detail()).isEqualTo("stopped");
        assertThat(control.status().state()).as("the cloud, asked again, agrees").isEqualTo(State.STOPPED);

        Instant t1 = Instant.now();
        control.start();
        BastionStatus running = control.await(State.RUNNING, Duration.ofSeconds(30));
        Duration startTook = Duration.between(t1, Instant.now());

        assertThat(running.state()).isEqualTo(State.RUNNING);
        System.out.printf("%s: stop+await %d ms, start+await %d ms%n", getClass().getSimpleName(), stopTook.toMillis(), startTook.toMillis());
    }

    @Test
    void startingARunningBastionIsNoError() {
        control.start();
        control.start();

        assertThat(control.status().state()).isEqualTo(State.RUNNING);
    }

    @Test
    void stoppingAStoppedBastionIsNoError() {
        control.stop();
        control.await(State.STOPPED, Duration.ofSeconds(30));

        control.stop();

        assertThat(control.status().state()).isEqualTo(State.STOPPED);
    }

    @Test
    void awaitGivesUpAtItsTimeoutAndReturnsWhatItSaw() {
        Instant t0 = Instant.now();
        BastionStatus last = control.await(State.STOPPED, Duration.ofMillis(700));

        assertThat(last.state()).as("nobody asked it to stop").isEqualTo(State.RUNNING);
        assertThat(Duration.between(t0, Instant.now())).isBetween(Duration.ofMillis(600), Duration.ofSeconds(5));
    }

    @Test
    void aTerminatedBastionIsGoneNotAnError() {
        Ec2Instances.terminate(endpoint(), instanceId);

        BastionStatus gone = control.await(State.GONE, Duration.ofSeconds(30));

        assertThat(gone.state()).as("EC2 still lists a terminated instance; the daemon must see it gone").isEqualTo(State.GONE);
        assertThat(gone.detail()).isIn("shutting-down", "terminated");
        assertThat(control.status().id()).isEqualTo(instanceId);
    }

    @Test
    void theRightInstanceInTheWrongRegionIsAPermanentErrorThatNamesTheRegion() {
        // EC2 resources are regional: the same id asked of another region is unknown there (AWS, moto and LocalStack
        // alike), and the likeliest cause is a config whose region does not match the stack's.
        String otherRegion = "us-east-1";
        try (BastionControl elsewhere = new AwsBastionControl(new AwsSection(otherRegion, instanceId, endpoint()), FAST)) {
            assertThatThrownBy(elsewhere::status)
                    .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.permanent()).isTrue())
                    .hasMessageContaining(otherRegion)
                    .hasMessageContaining("bastion.aws.region");
        }
        assertThat(control.status().state()).as("in its own region the instance is still there").isEqualTo(State.RUNNING);
    }

    @Test
    void anUnknownInstanceIsAPermanentErrorThatNamesTheFix() {
        try (BastionControl unknown = new AwsBastionControl(Ec2Instances.section(endpoint(), "i-0123456789abcdef0"), FAST)) {
            assertThatThrownBy(unknown::status)
                    .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.permanent()).isTrue())
                    .hasMessageContaining("i-0123456789abcdef0")
                    .hasMessageContaining("bastion.aws.instanceId");
            assertThatThrownBy(unknown::start)
                    .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.permanent()).isTrue());
        }
    }
}
