package dev.lifeline.supervisor.alert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.lifeline.supervisor.state.AtomicFile;

/**
 * The outbox on disk: {@code <stateDir>/outbox/<alert id>.json}, one file per alert, each written with
 * {@link AtomicFile} (fsync, rename, fsync of the directory).
 * <p>
 * One file per alert rather than an append-only journal: a record changes a handful of times in its life (each
 * attempt, each acceptance) and the outbox holds a few dozen at most, so three fsyncs per change cost nothing, while
 * a journal would need compaction and torn-tail recovery. A damaged file loses one alert's history, not the whole
 * outbox: it is set aside and the others are delivered. Leaving the outbox is an unlink.
 */
final class OutboxStore {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxStore.class);
    /** File-name safe, never a hidden name (AtomicFile's temporary files start with a dot). */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String SUFFIX = ".json";
    /** A corrupt outbox cannot make start-up read forever: beyond this many files the rest wait for the next start. */
    static final int MAX_FILES_LOADED = 10_000;

    private final Path dir;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final java.util.concurrent.atomic.AtomicLong writeFailures = new java.util.concurrent.atomic.AtomicLong();

    OutboxStore(Path stateDir) {
        this.dir = stateDir.resolve("outbox").toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the outbox " + dir + ": " + e.getMessage(), e);
        }
    }

    static void checkId(String id) {
        if (!SAFE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("alert id must be 1-128 of [A-Za-z0-9._-], not starting with '.' or '-' (got \"" + id + "\")");
        }
    }

    Path dir() {
        return dir;
    }

    /**
     * Writes the record; when the disk refuses (full, read-only) logs it, counts it and returns false: the caller
     * keeps the record in memory and delivers it anyway, it is only lost if lifeline stops before it goes out.
     */
    boolean tryWrite(OutboxRecord r) {
        try {
            write(r);
            return true;
        } catch (java.io.UncheckedIOException e) {
            long n = writeFailures.incrementAndGet();
            LOG.error("outbox: cannot write alert {} ({}) to disk, delivering it from memory; it is lost if lifeline stops"
                    + " before it goes out ({} write failures so far): {}", r.id(), r.alert().condition(), n, e.getMessage());
            return false;
        }
    }

    /** Records the disk refused since start: lifeline_outbox_write_failures_total. */
    long writeFailures() {
        return writeFailures.get();
    }

    void write(OutboxRecord r) {
        try {
            new AtomicFile(file(r.id())).write(json.writeValueAsBytes(r));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise outbox record " + r.id(), e);
        }
    }

    void delete(String id) {
        try {
            // not fsynced: if the unlink is lost in a crash, the record comes back settled and is deleted again
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            LOG.warn("outbox: cannot delete {}: {}", file(id).getFileName(), e.getClass().getSimpleName());
        }
    }

    /** Every readable record, oldest alert first; unreadable files are moved aside as {@code NAME.bad}. */
    List<OutboxRecord> load() {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && !p.getFileName().toString().startsWith("."))
                    .sorted().limit(MAX_FILES_LOADED).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the outbox " + dir + ": " + e.getMessage(), e);
        }
        List<OutboxRecord> records = new ArrayList<>();
        for (Path f : files) {
            try {
                OutboxRecord r = json.readValue(f.toFile(), OutboxRecord.class);
                if (r == null || !(r.id() + SUFFIX).equals(f.getFileName().toString())) {
                    throw new IllegalStateException("record does not match its file name");
                }
                records.add(r);
            } catch (IOException | RuntimeException e) {
                setAside(f, e);
            }
        }
        records.sort(Comparator.comparing((OutboxRecord r) -> r.alert().at()).thenComparing(OutboxRecord::id));
        return records;
    }

    private static void setAside(Path f, Exception why) {
        try {
            Path bad = new AtomicFile(f).setAside();
            // the class only: a parser's message quotes the file's content, which may hold an alert's text
            LOG.warn("outbox: {} is unreadable ({}); moved aside to {} for a person to look at",
                    f.getFileName(), why.getClass().getSimpleName(), bad.getFileName());
        } catch (UncheckedIOException e) {
            LOG.error("outbox: {} is unreadable and cannot be moved aside: {}", f.getFileName(), e.getCause().getClass().getSimpleName());
        }
    }

    private Path file(String id) {
        return dir.resolve(id + SUFFIX);
    }
}
