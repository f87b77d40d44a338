package dev.lifeline.supervisor.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.cloud.BastionMode;
import dev.lifeline.supervisor.link.LinkState;
import dev.lifeline.supervisor.policy.OutagePolicy;
import dev.lifeline.supervisor.probe.ProbeResult;
import dev.lifeline.supervisor.tunnel.TunnelState;

/** A day of samples in milliseconds: time comes in with each snapshot. */
class HistoryTest {
    private static final Instant T0 = Instant.parse("2026-03-31T20:00:00Z");
    private final History history = new History(Duration.ofSeconds(10), 0.01, 3.0);

    private static StatusSnapshot at(Instant t, List<ProbeResult> round, TunnelState tunnel, OutagePolicy.Snapshot policy) {
        return new StatusSnapshot(t, List.of(tunnel), LinkState.UP, round, null, policy, OutboxView.EMPTY, null, null);
    }

    private static OutagePolicy.Snapshot policy(Instant outageSince, Instant bastionSince) {
        return new OutagePolicy.Snapshot(BastionMode.ON_OUTAGE, outageSince == null ? LinkState.UP : LinkState.DOWN,
                bastionSince == null ? "OFF" : "ON", outageSince, null, bastionSince, 0, 0, false);
    }

    private static TunnelState tunnel(TunnelState.Status status, Instant since) {
        return new TunnelState("primary", status, since, null, null, 0, 0, 0, null);
    }

    @Test
    void aRoundSeenTwiceIsOnePointAndARoundWithNoAnswerIsAGap() {
        List<ProbeResult> round = List.of(ProbeResult.ok("tcp://a", Duration.ofMillis(20), "connected"),
                ProbeResult.ok("tcp://b", Duration.ofMillis(30), "connected"), ProbeResult.ok("tcp://c", Duration.ofMillis(90), "connected"));
        List<ProbeResult> silent = List.of(ProbeResult.failed("tcp://a", Duration.ofSeconds(1), "timeout"));
        TunnelState up = tunnel(TunnelState.Status.UP, T0);

        history.record(at(T0, round, up, null));
        history.record(at(T0.plusSeconds(10), round, up, null));
        history.record(at(T0.plusSeconds(20), silent, up, null));

        assertThat(history.view(T0.plusSeconds(20)).primaryRttMs())
                .containsExactly(new Point(T0, 30.0), new Point(T0.plusSeconds(20), null));
    }

    @Test
    void anOutageWithTheBastionAcrossMidnightOfTheMonthIsIntervalsAndCostsPerMonth() {
        TunnelState down = tunnel(TunnelState.Status.DOWN, T0);
        Instant outage = T0.plus(Duration.ofMinutes(5));
        Instant started = outage.plus(Duration.ofMinutes(1));
        Instant t = T0;
        // 20:00 → 02:00 next day (a new month at 00:00 UTC), one sample every 10 s; the bastion runs 20:06 → 00:06.
        while (t.isBefore(T0.plus(Duration.ofHours(6)))) {
            boolean inOutage = !t.isBefore(outage) && t.isBefore(started.plus(Duration.ofHours(4)));
            boolean running = !t.isBefore(started) && t.isBefore(started.plus(Duration.ofHours(4)));
            Instant ended = started.plus(Duration.ofHours(4));
            TunnelState tunnel = running ? tunnel(TunnelState.Status.UP, started)
                    : t.isBefore(started) ? down : tunnel(TunnelState.Status.DOWN, ended);
            history.record(at(t, List.of(), tunnel, policy(inOutage ? outage : null, running ? started : null)));
            t = t.plusSeconds(10);
        }

        HistoryView v = history.view(t);
        assertThat(v.outages()).hasSize(1);
        assertThat(v.bastionRuns()).singleElement().satisfies(r -> {
            assertThat(r.start()).isEqualTo(started);
            assertThat(r.length()).isEqualTo(Duration.ofHours(4));
        });
        assertThat(v.tunnels().get("primary")).extracting(Span::label).containsExactly("DOWN", "UP", "DOWN");
        assertThat(v.cost().runningMinutes24h()).isEqualTo(240);
        assertThat(v.cost().runningMinutesThisMonth()).as("April began at 00:00 UTC: 6 of the 240 minutes").isEqualTo(6);
        assertThat(v.cost().costThisMonth()).as("the fixed $3 plus 6 minutes at $0.01/h").isEqualTo(3.001);
    }

    @Test
    void theSeriesStayBoundedHoweverLongItRuns() {
        History fast = new History(Duration.ofSeconds(1), 0, 0);
        Instant t = T0;
        for (int i = 0; i < History.MAX_POINTS + 500; i++) {
            fast.record(at(t, List.of(ProbeResult.ok("tcp://a", Duration.ofMillis(5), "ok")), tunnel(TunnelState.Status.UP, T0), null));
            t = t.plusSeconds(1);
        }
        assertThat(fast.view(t).primaryRttMs()).hasSize(History.MAX_POINTS);
    }
}
