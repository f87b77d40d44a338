package dev.lifeline.supervisor.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lifeline.supervisor.state.AtomicFile;

/**
 * How many bytes speed tests may still use today on a metered line. Resets at midnight in the clock's zone. Kept on
 * disk, so that a crash loop or a restart cannot turn into unlimited speed tests.
 */
public final class DataBudget {
    private static final Logger LOG = LoggerFactory.getLogger(DataBudget.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file's content: {"day":"2025-03-01","usedBytes":1234}. */
    record Usage(String day, long usedBytes) {
    }

    private final AtomicFile file;
    private final long bytesPerDay;
    private final Clock clock;
    private LocalDate day;
    private long used;

    /**
     * @param file        the JSON state file; a missing one starts at zero, an unreadable one is set aside as *.bad
     * @param bytesPerDay ≥ 0; 0 allows no tests
     * @param clock       its zone says where midnight is
     */
    public DataBudget(Path file, long bytesPerDay, Clock clock) {
        if (bytesPerDay < 0) {
            throw new IllegalArgumentException("dataBudget must be ≥ 0 bytes per day (got " + bytesPerDay + "); write e.g. dataBudget: 50MB/day");
        }
        this.file = new AtomicFile(file);
        this.bytesPerDay = bytesPerDay;
        this.clock = clock;
        this.day = LocalDate.now(clock);
        load().filter(u -> u.day().equals(day.toString())).ifPresent(u -> used = u.usedBytes());
    }

    public synchronized long remainingToday() {
        rollOver();
        return Math.max(0, bytesPerDay - used);
    }

    public synchronized long usedToday() {
        rollOver();
        return used;
    }

    /** Charges {@code bytes} to today and saves; a failed save is logged, the count in memory still holds. */
    public synchronized void record(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes used must be ≥ 0 (got " + bytes + ")");
        }
        rollOver();
        used += bytes;
        try {
            file.write(JSON.writeValueAsBytes(new Usage(day.toString(), used)));
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("data budget: cannot save {} bytes used on {} to {}: {}", used, day, file.path(), e.getMessage());
        }
    }

    /**
     * Midnight starts a new day; and the file is read again, because the daemon and a `lifeline probe backup` run by
     * hand charge the same budget (the larger count wins, so a save that failed here is not forgotten).
     */
    private void rollOver() {
        LocalDate today = LocalDate.now(clock);
        if (!today.equals(day)) {
            day = today;
            used = 0;
        }
        load().filter(u -> u.day().equals(day.toString())).ifPresent(u -> used = Math.max(used, u.usedBytes()));
    }

    private Optional<Usage> load() {
        Optional<byte[]> content;
        try {
            content = file.read();
        } catch (UncheckedIOException e) {
            LOG.warn("data budget: {}; counting from zero today", e.getMessage());
            return Optional.empty();
        }
        if (content.isEmpty()) {
            return Optional.empty();
        }
        try {
            Usage u = JSON.readValue(content.get(), Usage.class);
            if (u.day() == null || u.usedBytes() < 0) {
                throw new IOException("day missing or usedBytes negative");
            }
            LocalDate.parse(u.day());
            return Optional.of(u);
        } catch (IOException | java.time.format.DateTimeParseException e) {
            String where;
            try {
                where = "set aside as " + file.setAside();
            } catch (UncheckedIOException moveFailed) {
                where = "left in place (" + moveFailed.getMessage() + ")";
            }
            LOG.warn("data budget: {} is not valid ({}); {}, counting from zero today", file.path(), e.getMessage(), where);
            return Optional.empty();
        }
    }

    @Override
    public synchronized String toString() {
        return "DataBudget[" + used + " of " + bytesPerDay + " bytes used on " + day + "]";
    }
}
