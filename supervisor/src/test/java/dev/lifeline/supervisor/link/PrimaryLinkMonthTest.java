package dev.lifeline.supervisor.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.testing.SimulatedPrimaryLine.Healthy;
import dev.lifeline.supervisor.testing.SimulatedPrimaryLine.Outage;
import dev.lifeline.supervisor.testing.SimulatedPrimaryLine.Tracking;
import dev.lifeline.supervisor.testing.SimulatedPrimaryLine;

/**
 * Issue 17, part 5: with the settings a user gets when links.primary names only its probes, a month on a healthy line
 * that loses 20 % of the probes' answers declares no outage, and a real outage is declared at most 8 s after the last
 * good answer, whenever in the round the line goes dark. The real monitor and tracker on a simulated clock (see
 * {@link SimulatedPrimaryLine}); seeded, so a weaker default fails here every time, not now and then.
 */
class PrimaryLinkMonthTest {
    static final double LOSS = 0.20;
    static final long SEED = 20261125;
    /** The example config's three probes; every other setting is the default. */
    static final Tracking DEFAULTS = Tracking.of("defaults", new PrimaryLinkConfig(null,
            List.of("dns://192.168.100.1/example.com", "tcp://1.1.1.1:443", "dns://9.9.9.9/example.com"), null, null, null, null, null, null, null));
    static final Duration TARGET = Duration.ofSeconds(8);
    static final int MONTHS = 3;

    /**
     * Three months, each on its own seed, so that a default one notch weaker (down 3: 1.3 false outages a month by the
     * math) fails here almost surely (all three months clean by chance: e^-4 ≈ 2 %), where one month would let it pass
     * one time in four.
     */
    @Test
    void theDefaultsDeclareNoFalseOutageInAMonthOfTwentyPercentProbeLoss() {
        for (long seed = SEED; seed < SEED + MONTHS; seed++) {
            Healthy month = SimulatedPrimaryLine.healthy(DEFAULTS, LOSS, seed, SimulatedPrimaryLine.MONTH);

            print(month);
            assertThat(month.rounds()).as("a round every interval for 30 days").isEqualTo(SimulatedPrimaryLine.MONTH.dividedBy(DEFAULTS.interval()));
            assertThat((double) month.answersLost() / (month.rounds() * DEFAULTS.probes())).as("the loss really was 20 %").isBetween(0.199, 0.201);
            assertThat(month.falseOutages()).as("false outages in the month of seed %d", seed).isZero();
        }
    }

    /** The same month catches a weaker setting, and counts what the math says it should: the harness can fail. */
    @Test
    void theSameMonthCountsTheFalseOutagesOfAWeakerSettingAsTheMathPredicts() {
        Tracking weak = DEFAULTS.with("down 2", DEFAULTS.interval(), DEFAULTS.timeout(), 2);
        Healthy month = SimulatedPrimaryLine.healthy(weak, LOSS, SEED, SimulatedPrimaryLine.MONTH);

        print(month);
        double expected = weak.expectedFalseOutages(LOSS, SimulatedPrimaryLine.MONTH);
        assertThat(expected).as("the math for down 2").isGreaterThan(50);
        // a count of rare events: Poisson, so within 4 standard deviations of the expectation
        assertThat((double) month.falseOutages()).isBetween(expected - 4 * Math.sqrt(expected), expected + 4 * Math.sqrt(expected));
    }

    @Test
    void aRealOutageIsDeclaredWithinEightSecondsOfTheLastGoodAnswerAtEveryPhaseOfTheRound() {
        long interval = DEFAULTS.interval().toMillis();
        Duration slowest = Duration.ZERO;
        Duration fastest = Duration.ofDays(1);
        Duration slowestFromCut = Duration.ZERO;
        Duration fastestFromCut = Duration.ofDays(1);
        int runs = 0;
        for (double loss : new double[] {0, LOSS}) {
            for (long phase = 0; phase < interval; phase += interval / 20) {
                Instant cut = SimulatedPrimaryLine.T0.plus(Duration.ofHours(1)).plusMillis(phase);
                Outage o = SimulatedPrimaryLine.outage(DEFAULTS, loss, SEED + phase, cut);

                assertThat(o.declared()).as("declared at all, dark %d ms into a round, loss %.0f %%", phase, loss * 100).isNotNull();
                assertThat(o.falseBefore()).as("no false outage in the hour before").isZero();
                assertThat(o.afterLastGoodAnswer()).as("dark %d ms into a round, loss %.0f %%: %s", phase, loss * 100, o.why())
                        .isLessThanOrEqualTo(TARGET);
                slowest = max(slowest, o.afterLastGoodAnswer());
                fastest = min(fastest, o.afterLastGoodAnswer());
                slowestFromCut = max(slowestFromCut, o.afterCut());
                fastestFromCut = min(fastestFromCut, o.afterCut());
                runs++;
            }
        }
        System.out.printf("%s: a real outage declared %.2f–%.2f s after the last good answer, %.2f–%.2f s after the line went dark"
                + " (%d phases, loss 0 and 20 %%)%n", DEFAULTS, fastest.toMillis() / 1e3, slowest.toMillis() / 1e3,
                fastestFromCut.toMillis() / 1e3, slowestFromCut.toMillis() / 1e3, runs);
        assertThat(runs).isEqualTo(40);
    }

    private static void print(Healthy m) {
        System.out.printf("%s: %d false outages in %d days at %.0f %% loss = %.4f a day (the math: %.2g in the span)%n", m.tracking(),
                m.falseOutages(), m.span().toDays(), m.loss() * 100, m.perDay(), m.tracking().expectedFalseOutages(m.loss(), m.span()));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
