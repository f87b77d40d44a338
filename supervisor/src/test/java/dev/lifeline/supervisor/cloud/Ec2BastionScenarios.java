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
 * (moto always, LocalStack where Docker runs) and every scenario gets a fresh instance.
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
