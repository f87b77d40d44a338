package dev.lifeline.supervisor.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import dev.lifeline.supervisor.cloud.BastionMode;
import dev.lifeline.supervisor.cloud.BastionStatus;
import dev.lifeline.supervisor.event.Event;
import dev.lifeline.supervisor.link.LinkTracker;
import dev.lifeline.supervisor.link.LinkTransition;
import dev.lifeline.supervisor.link.PrimaryLinkMonitor;
import dev.lifeline.supervisor.probe.Probe;
import dev.lifeline.supervisor.probe.ProbeResult;
import dev.lifeline.supervisor.testing.SimulatedClock;
import dev.lifeline.supervisor.testing.SimulatedCloud;

/**
 * The real link monitor, tracker and outage policy, driven round by round on a simulated clock. Only the network
 * (whether a probe answers) and the cloud are simulated; a round's failed probes cost the full timeout, as on a
 * real line.
 */
final class OutageSimulation {
    static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

    final Duration interval;
    final Duration timeout;
    final SimulatedClock clock = new SimulatedClock(T0);
    final SimulatedCloud cloud;
    final List<Event> events = new ArrayList<>();
    final List<LinkTransition> transitions = new ArrayList<>();
    final OutagePolicy policy;
    final PrimaryLinkMonitor monitor;
    /** Not java.util.Random: its congruential lattice never lets three probes in a row be lost (SimulatedPrimaryLine). */
    private final SplittableRandom random = new SplittableRandom(20261123);
    Predicate<Instant> lineUp = t -> true;
    double probeLoss;
    int openConnections;
    int reconnectRequests;
    private Instant roundStart = T0;

    OutageSimulation(Path stateDir, BastionMode mode, PolicySection timing, int probes, Duration interval, Duration timeout,
                     int down, int up, BastionStatus.State cloudState) {
        this(stateDir, mode, timing, probes, interval, timeout, down, up, new SimulatedCloud(cloudState));
    }

    OutageSimulation(Path stateDir, BastionMode mode, PolicySection timing, int probes, Duration interval, Duration timeout,
                     int down, int up, SimulatedCloud cloud) {
        this.interval = interval;
        this.timeout = timeout;
        this.cloud = cloud;
        this.policy = new OutagePolicy(mode, timing, cloud, () -> reconnectRequests++, () -> openConnections,
                events::add, clock, Runnable::run, Duration.ofMinutes(5), new PolicyMemoryFile(stateDir));
        List<Probe> targets = new ArrayList<>();
        for (int i = 0; i < probes; i++) {
            targets.add(new SimulatedProbe("tcp://198.18.1." + (i + 1) + ":443"));
        }
        this.monitor = new PrimaryLinkMonitor(targets, new LinkTracker("primary", 1, down, up, T0), null, Duration.ofMinutes(1),
                t -> {
                    transitions.add(t);
                    policy.primaryChanged(t);
                }, clock, Runnable::run);
        policy.reconcile();
    }

    /** Runs rounds back to back, one per interval, for {@code span} of simulated time. */
    void runFor(Duration span) {
        Instant end = clock.instant().plus(span);
        int bound = (int) (span.toMillis() / interval.toMillis()) + 2;
        for (int i = 0; i < bound && clock.instant().isBefore(end); i++) {
            roundStart = clock.instant();
            monitor.round();
            policy.tick();
            clock.advanceTo(roundStart.plus(interval));
        }
    }

    long count(Event.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).count();
    }

    /** The network: a probe answers when the line is up at the round's start and the packet is not lost. */
    private final class SimulatedProbe implements Probe {
        private final String target;

        SimulatedProbe(String target) {
            this.target = target;
        }

        @Override
        public String target() {
            return target;
        }

        @Override
        public ProbeResult run() {
            boolean lost = probeLoss > 0 && random.nextDouble() < probeLoss;
            if (lineUp.test(roundStart) && !lost) {
                return ProbeResult.ok(target, Duration.ofMillis(25), "connected");
            }
            clock.advanceTo(roundStart.plus(timeout));
            return ProbeResult.failed(target, timeout, "timeout after " + timeout.toMillis() + "ms");
        }
    }
}
