package dev.lifeline.supervisor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataBudgetTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final long MB = 1_000_000;

    @TempDir
    Path dir;

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), BERLIN);
    }

    @Test
    void whatWasUsedSurvivesARestart() {
        Path file = dir.resolve("budget.json");
        new DataBudget(file, 50 * MB, at("2025-03-01T10:00:00Z")).record(4 * MB);

        DataBudget again = new DataBudget(file, 50 * MB, at("2025-03-01T18:00:00Z"));

        assertThat(again.usedToday()).isEqualTo(4 * MB);
        assertThat(again.remainingToday()).isEqualTo(46 * MB);
    }

    @Test
    void itResetsAtMidnightInTheClocksZoneNotUtc() {
        Path file = dir.resolve("budget.json");
        // 23:30 UTC on 1 March is already 00:30 on 2 March in Berlin (UTC+1 in winter)
        new DataBudget(file, 50 * MB, at("2025-03-01T23:30:00Z")).record(30 * MB);

        assertThat(new DataBudget(file, 50 * MB, at("2025-03-02T22:59:00Z")).usedToday()).as("still 2 March in Berlin").isEqualTo(30 * MB);
        assertThat(new DataBudget(file, 50 * MB, at("2025-03-02T23:00:00Z")).usedToday()).as("3 March in Berlin").isZero();
    }

    @Test
    void aRunningBudgetRollsOverWithoutARestart() {
        MutableClock clock = new MutableClock(Instant.parse("2025-03-01T20:00:00Z"));
        DataBudget budget = new DataBudget(dir.resolve("budget.json"), 10 * MB, clock);
        budget.record(12 * MB);
        assertThat(budget.remainingToday()).isZero();

        clock.now = Instant.parse("2025-03-01T23:00:01Z");

        assertThat(budget.remainingToday()).isEqualTo(10 * MB);
    }

    @Test
    void aCorruptFileIsSetAsideAndCountingStartsFromZero() throws Exception {
        Path file = dir.resolve("budget.json");
        Files.writeString(file, "{\"day\":\"2025-03-01\",\"usedB");

        DataBudget budget = new DataBudget(file, 50 * MB, at("2025-03-01T10:00:00Z"));

        assertThat(budget.usedToday()).isZero();
        assertThat(dir.resolve("budget.json.bad")).hasContent("{\"day\":\"2025-03-01\",\"usedB");
        budget.record(MB);
        assertThat(new DataBudget(file, 50 * MB, at("2025-03-01T11:00:00Z")).usedToday()).isEqualTo(MB);
    }

    @Test
    void aSecondCorruptFileDoesNotOverwriteTheFirst() throws Exception {
        Path file = dir.resolve("budget.json");
        Files.writeString(file, "first");
        new DataBudget(file, 50 * MB, at("2025-03-01T10:00:00Z"));
        Files.writeString(file, "{\"day\":\"yesterday\",\"usedBytes\":5}");
        new DataBudget(file, 50 * MB, at("2025-03-01T10:00:00Z"));

        assertThat(dir.resolve("budget.json.bad")).hasContent("first");
        assertThat(dir.resolve("budget.json.bad.2")).hasContent("{\"day\":\"yesterday\",\"usedBytes\":5}");
    }

    @Test
    void theFileIsSmallJsonAndNoTemporaryFileIsLeft() throws Exception {
        Path file = dir.resolve("budget.json");
        new DataBudget(file, 50 * MB, at("2025-03-01T10:00:00Z")).record(1234);

        assertThat(file).hasContent("{\"day\":\"2025-03-01\",\"usedBytes\":1234}");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aNegativeBudgetNamesTheField() {
        assertThatThrownBy(() -> new DataBudget(dir.resolve("b.json"), -1, Clock.system(ZoneOffset.UTC)))
                .hasMessageContaining("dataBudget must be ≥ 0");
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return BERLIN;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
