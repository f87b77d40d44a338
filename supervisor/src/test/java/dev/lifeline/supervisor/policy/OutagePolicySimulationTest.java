package dev.lifeline.supervisor.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.cloud.BastionMode;
import dev.lifeline.supervisor.cloud.BastionStatus;
import dev.lifeline.supervisor.cloud.CloudException;
import dev.lifeline.supervisor.event.Event;
import dev.lifeline.supervisor.link.LinkState;
import dev.lifeline.supervisor.link.LinkTransition;
import dev.lifeline.supervisor.link.PrimaryLinkConfig;
import dev.lifeline.supervisor.testing.SimulatedCloud;

/** Hours of link tracking and outage policy in simulated time, with the defaults a user gets. */
class OutagePolicySimulationTest {
    static final Duration INTERVAL = PrimaryLinkConfig.DEFAULT_INTERVAL;
    static final Duration TIMEOUT = PrimaryLinkConfig.DEFAULT_TIMEOUT;
    static final int DOWN = PrimaryLinkConfig.DEFAULT_DOWN;
    static final int UP = PrimaryLinkConfig.DEFAULT_UP;
    static final PolicySection DEFAULTS = PolicySection.DEFAULTS;

    @TempDir
    Path state;

    private OutageSimulation onOutage(BastionStatus.State cloud) {
        return new OutageSimulation(state, BastionMode.ON_OUTAGE, DEFAULTS, 3, INTERVAL, TIMEOUT, DOWN, UP, cloud);
    }

    @Test
    void aPrimaryFlappingEveryTenSecondsForAnHourStartsTheBastionAtMostOnceAndNeverStopsIt() {
        OutageSimulation sim = onOutage(BastionStatus.State.STOPPED);
        sim.lineUp = t -> (t.getEpochSecond() / 10) % 2 == 0;

        sim.runFor(Duration.ofHours(1));

        assertThat(sim.cloud.startCalls()).isLessThanOrEqualTo(1);
        assertThat(sim.cloud.stopCalls()).isZero();
        assertThat(sim.count(Event.Kind.OUTAGE_STARTED)).isLessThanOrEqualTo(1);
    }

    @Test
    void aPrimaryThatFlapsEveryTenSecondsAfterAnOutageKeepsTheBastionRunningWithOneStart() {
        OutageSimulation sim = onOutage(BastionStatus.State.STOPPED);
        Instant flapFrom = OutageSimulation.T0.plus(Duration.ofMinutes(2));
        sim.lineUp = t -> t.isBefore(OutageSimulation.T0.plus(Duration.ofMinutes(1)))
                || !t.isBefore(flapFrom) && (t.getEpochSecond() / 10) % 2 == 0;

        sim.runFor(Duration.ofHours(1).plusMinutes(2));

        assertThat(sim.cloud.startCalls()).isEqualTo(1);
        assertThat(sim.cloud.stopCalls()).as("a flapping line never holds up long enough to stop").isZero();
        assertThat(sim.count(Event.Kind.OUTAGE_STARTED)).isEqualTo(1);
        assertThat(sim.count(Event.Kind.OUTAGE_ENDED)).isZero();
    }

    @Test
    void aPrimaryThatComesBackBrieflyEveryTwoMinutesRestartsTheHoldAndTheBastionStaysUpUntilItIsStable() {
        OutageSimulation sim = onOutage(BastionStatus.State.STOPPED);
        Instant stableFrom = OutageSimulation.T0.plus(Duration.ofHours(1));
        // 40 s down in every 2 minutes: long enough to be declared DOWN, and UP again in between.
        sim.lineUp = t -> !t.isBefore(stableFrom) || t.getEpochSecond() % 120 >= 40;

        sim.runFor(Duration.ofHours(1));
        assertThat(sim.transitions).filteredOn(t -> t.to() == LinkState.UP).hasSizeGreaterThan(20);
        assertThat(sim.cloud.startCalls()).as("one start for the whole flapping hour").isEqualTo(1);
        assertThat(sim.cloud.stopCalls()).as("no stop while the hold keeps being broken").isZero();

        sim.runFor(Duration.ofMinutes(15));
        assertThat(sim.cloud.stopCalls()).as("stable again: one stop after the hold").isEqualTo(1);
        assertThat(sim.cloud.startCalls()).isEqualTo(1);
    }

    @Test
    void twentyPercentProbeLossForADayOnAHealthyLineDeclaresNoOutage() {
        OutageSimulation sim = onOutage(BastionStatus.State.STOPPED);
        sim.probeLoss = 0.20;

        sim.runFor(Duration.ofHours(24));

        assertThat(sim.transitions).isEmpty();
        assertThat(sim.cloud.startCalls()).isZero();
        assertThat(sim.events).isEmpty();
    }

    @Test
    void aRealOutageIsDeclaredWithinIntervalTimesDownPlusOneTimeoutAndStartsTheBastionOnce() {
        OutageSimulation sim = onOutage(BastionStatus.State.STOPPED);
        Instant cut = OutageSimulation.T0.plus(Duration.ofMinutes(10)).plusMillis(1300);
        sim.lineUp = t -> t.isBefore(cut);

        sim.runFor(Duration.ofMinutes(30));

        LinkTransition down = sim.transitions.get(0);
        assertThat(down.to()).isEqualTo(LinkState.DOWN);
        Duration detection = Duration.between(cut, down.at());
        assertThat(detection).isLessThanOrEqualTo(INTERVAL.multipliedBy(DOWN).plus(TIMEOUT));
        assertThat(sim.cloud.startCalls()).isEqualTo(1);
        assertThat(sim.reconnectRequests).as("tunnels told to reconnect at once").isEqualTo(1);
        assertThat(sim.events).extracting(Event::kind).containsExactly(Event.Kind.OUTAGE_STARTED, Event.Kind.BASTION_STARTED);
        assertThat(sim.events.get(0).text()).contains("primary line DOWN at 2026-11-23 08:10:0").contains(DOWN + " bad rounds");
    }

    @Test
    void recoveryStopsTheBastionOnceAfterTheHoldAndAnnouncesTheOutagesDuration() {
        OutageSimulation sim = onOutage(BastionStatus.State.STOPPED);
        Instant cut = OutageSimulation.T0.plus(Duration.ofMinutes(5));
        Instant back = cut.plus(Duration.ofMinutes(40));
        sim.lineUp = t -> t.isBefore(cut) || !t.isBefore(back);

        sim.runFor(Duration.ofMinutes(45).plus(Duration.ofSeconds(30)).plus(DEFAULTS.recoveryHold()).minusSeconds(5));
        assertThat(sim.cloud.stopCalls()).as("not before the hold").isZero();
        sim.runFor(Duration.ofMinutes(1));
        assertThat(sim.cloud.stopCalls()).isEqualTo(1);

        sim.runFor(Duration.ofHours(2));
        assertThat(sim.cloud.stopCalls()).isEqualTo(1);
        assertThat(sim.cloud.startCalls()).isEqualTo(1);
        Event ended = sim.events.stream().filter(e -> e.kind() == Event.Kind.OUTAGE_ENDED).findFirst().orElseThrow();
        assertThat(ended.text()).contains("outage 2026-11-23 08:05:").contains("(40m").contains("stopped after running");
    }

    @Test
    void anOpenForwardedConnectionDelaysTheStopUntilItCloses() {
        OutageSimulation sim = onOutage(BastionStatus.State.STOPPED);
        Instant cut = OutageSimulation.T0.plus(Duration.ofMinutes(1));
        Instant back = cut.plus(Duration.ofMinutes(20));
        sim.lineUp = t -> t.isBefore(cut) || !t.isBefore(back);
        sim.openConnections = 1;

        sim.runFor(Duration.ofHours(1));
        assertThat(sim.cloud.stopCalls()).as("an admin is still working through the tunnel").isZero();

        sim.openConnections = 0;
        sim.runFor(Duration.ofSeconds(10));
        assertThat(sim.cloud.stopCalls()).isEqualTo(1);
    }

    @Test
    void theBastionRunsAtLeastMinOnEvenWhenTheOutageWasShort() {
        PolicySection timing = new PolicySection(Duration.ofMinutes(2), Duration.ofMinutes(30));
        OutageSimulation sim = new OutageSimulation(state, BastionMode.ON_OUTAGE, timing, 3, INTERVAL, TIMEOUT, DOWN, UP, BastionStatus.State.STOPPED);
        Instant cut = OutageSimulation.T0.plus(Duration.ofMinutes(1));
        sim.lineUp = t -> t.isBefore(cut) || !t.isBefore(cut.plus(Duration.ofMinutes(1)));

        sim.runFor(Duration.ofMinutes(30));
        assertThat(sim.cloud.stopCalls()).isZero();
        sim.runFor(Duration.ofMinutes(2));
        assertThat(sim.cloud.stopCalls()).isEqualTo(1);
    }

    @Test
    void aCloudThatFailsRaisesAnEventRetriesWithBackoffAndNeverCrashes() {
        SimulatedCloud cloud = new SimulatedCloud(BastionStatus.State.STOPPED);
        OutageSimulation sim = new OutageSimulation(state, BastionMode.ON_OUTAGE, DEFAULTS, 3, INTERVAL, TIMEOUT, DOWN, UP, cloud);
        cloud.failNext(new CloudException("EC2 answered 503 after 4 tries", false, null),
                new CloudException("EC2 answered 503 after 4 tries", false, null));
        Instant cut = OutageSimulation.T0.plus(Duration.ofMinutes(1));
        sim.lineUp = t -> t.isBefore(cut);

        sim.runFor(Duration.ofMinutes(1).plusSeconds(30));
        assertThat(sim.count(Event.Kind.BASTION_CONTROL_FAILED)).isEqualTo(1);
        assertThat(cloud.startCalls()).isZero();

        sim.runFor(Duration.ofMinutes(3));
        assertThat(sim.count(Event.Kind.BASTION_CONTROL_FAILED)).as("retried after 30 s, then 60 s").isEqualTo(2);
        assertThat(cloud.startCalls()).isEqualTo(1);
        assertThat(sim.events.stream().filter(e -> e.kind() == Event.Kind.BASTION_CONTROL_FAILED).findFirst().orElseThrow().text())
                .contains("could not start the bastion").contains("503").contains("next try");
    }

    @Test
    void aPermanentCloudErrorIsAnnouncedAndRetriedOnlyEveryTenMinutes() {
        SimulatedCloud cloud = new SimulatedCloud(BastionStatus.State.STOPPED);
        OutageSimulation sim = new OutageSimulation(state, BastionMode.ON_OUTAGE, DEFAULTS, 3, INTERVAL, TIMEOUT, DOWN, UP, cloud);
        CloudException denied = new CloudException("AWS refused the credentials: check the default credential chain", true, null);
        cloud.failNext(denied, denied);
        sim.lineUp = t -> false;

        sim.runFor(Duration.ofMinutes(15));

        assertThat(sim.count(Event.Kind.BASTION_CONTROL_FAILED)).isEqualTo(2);
        assertThat(cloud.startCalls()).isZero();
        sim.runFor(Duration.ofMinutes(10));
        assertThat(cloud.startCalls()).isEqualTo(1);
    }

    @Test
    void aRestartInTheMiddleOfAnOutageAdoptsTheRunningBastionWithoutASecondStartOrAnnouncement() {
        OutageSimulation first = onOutage(BastionStatus.State.STOPPED);
        first.lineUp = t -> false;
        first.runFor(Duration.ofMinutes(5));
        assertThat(first.cloud.startCalls()).isEqualTo(1);

        // kill -9: a new supervisor with the same state directory and the same (still running) cloud
        OutageSimulation second = new OutageSimulation(state, BastionMode.ON_OUTAGE, DEFAULTS, 3, INTERVAL, TIMEOUT, DOWN, UP,
                first.cloud);
        second.clock.advanceTo(first.clock.instant());
        second.lineUp = t -> false;
        second.runFor(Duration.ofMinutes(30));

        assertThat(first.cloud.startCalls()).as("no second StartInstances").isEqualTo(1);
        assertThat(second.events).as("the outage was announced before the restart").isEmpty();
        assertThat(second.policy.snapshot().outageSince()).isEqualTo(first.policy.snapshot().outageSince());
    }

    @Test
    void alwaysOnStartsAStoppedBastionAtOnceAndNeverStopsIt() {
        OutageSimulation sim = new OutageSimulation(state, BastionMode.ALWAYS_ON, DEFAULTS, 3, INTERVAL, TIMEOUT, DOWN, UP, BastionStatus.State.STOPPED);
        assertThat(sim.cloud.startCalls()).isEqualTo(1);
        Instant cut = OutageSimulation.T0.plus(Duration.ofMinutes(1));
        sim.lineUp = t -> t.isBefore(cut) || !t.isBefore(cut.plus(Duration.ofMinutes(5)));

        sim.runFor(Duration.ofHours(1));

        assertThat(sim.cloud.stopCalls()).isZero();
        assertThat(sim.cloud.startCalls()).isEqualTo(1);
        assertThat(sim.count(Event.Kind.OUTAGE_STARTED)).isEqualTo(1);
        assertThat(sim.count(Event.Kind.OUTAGE_ENDED)).isEqualTo(1);
    }

    @Test
    void aBastionStartedByHandWithoutAnOutageIsSeenAtTheNextReadAndStoppedAfterTheHold() {
        OutageSimulation sim = onOutage(BastionStatus.State.STOPPED);
        sim.runFor(Duration.ofMinutes(5));
        sim.cloud.changedByHand(BastionStatus.State.RUNNING);

        sim.runFor(OutagePolicy.RECHECK.plus(DEFAULTS.minOn()).plus(Duration.ofMinutes(1)));

        assertThat(sim.cloud.stopCalls()).as("a running bastion with no outage costs money: stopped").isEqualTo(1);
        assertThat(sim.cloud.state()).isEqualTo(BastionStatus.State.STOPPED);
    }

    @Test
    void aStopWhoseAnswerWasLostIsReadAgainSoTheNextOutageStartsTheBastionAgain() {
        OutageSimulation sim = onOutage(BastionStatus.State.STOPPED);
        Instant cut = OutageSimulation.T0.plus(Duration.ofMinutes(1));
        Instant back = cut.plus(Duration.ofMinutes(20));
        Instant cutAgain = back.plus(Duration.ofMinutes(30));
        sim.lineUp = t -> t.isBefore(cut) || !t.isBefore(back) && t.isBefore(cutAgain);
        sim.runFor(Duration.ofMinutes(30));
        sim.cloud.loseNextAnswer();

        sim.runFor(Duration.ofMinutes(40));

        assertThat(sim.cloud.stopCalls()).isEqualTo(1);
        assertThat(sim.cloud.startCalls()).as("the second outage gets its bastion").isEqualTo(2);
        assertThat(sim.cloud.state()).isEqualTo(BastionStatus.State.RUNNING);
    }

    @Test
    void anUnexpectedErrorFromTheCloudLibraryIsAFailureToRetryNotAStuckPolicy() {
        SimulatedCloud cloud = new SimulatedCloud(BastionStatus.State.STOPPED);
        OutageSimulation sim = new OutageSimulation(state, BastionMode.ON_OUTAGE, DEFAULTS, 3, INTERVAL, TIMEOUT, DOWN, UP, cloud);
        sim.lineUp = t -> false;
        cloud.failNext(new IllegalStateException("gson: expected BEGIN_OBJECT"));

        sim.runFor(Duration.ofMinutes(3));

        assertThat(cloud.startCalls()).isEqualTo(1);
        assertThat(sim.events.stream().filter(e -> e.kind() == Event.Kind.BASTION_CONTROL_FAILED).findFirst().orElseThrow().text())
                .contains("unexpected java.lang.IllegalStateException").doesNotContain("gson");
    }

    @Test
    void aStartThatFailsAtBootAndOneThatNeedsYouDuringAnOutageAreSeparateAlerts() {
        SimulatedCloud cloud = new SimulatedCloud(BastionStatus.State.STOPPED);
        cloud.failNext(new CloudException("no route to EC2", false, null));
        OutageSimulation sim = new OutageSimulation(state, BastionMode.ON_OUTAGE, DEFAULTS, 3, INTERVAL, TIMEOUT, DOWN, UP, cloud);
        sim.runFor(Duration.ofMinutes(5));
        cloud.failNext(new CloudException("AWS refused the credentials", true, null));
        sim.lineUp = t -> false;

        sim.runFor(Duration.ofMinutes(2));

        assertThat(sim.events).filteredOn(e -> e.kind() == Event.Kind.BASTION_CONTROL_FAILED).extracting(Event::condition)
                .containsExactly("bastion.control.read", "bastion.control.start.needs-you");
    }
}
