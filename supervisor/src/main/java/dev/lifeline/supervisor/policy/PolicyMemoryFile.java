package dev.lifeline.supervisor.policy;

import java.io.IOException;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.lifeline.supervisor.state.AtomicFile;

/** {@link PolicyMemory} in the state directory, written atomically so a crash leaves the old or the new, never half. */
public final class PolicyMemoryFile {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyMemoryFile.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final AtomicFile file;

    public PolicyMemoryFile(Path stateDir) {
        this.file = new AtomicFile(stateDir.resolve("outage.json"));
    }

    PolicyMemory load() {
        try {
            return file.read().map(bytes -> {
                try {
                    return JSON.readValue(bytes, PolicyMemory.class);
                } catch (IOException e) {
                    LOG.warn("{} cannot be read ({}); set aside as {}; starting with no outage remembered", file, e.getMessage(), file.setAside());
                    return PolicyMemory.EMPTY;
                }
            }).orElse(PolicyMemory.EMPTY);
        } catch (java.io.UncheckedIOException e) {
            LOG.warn("{}; starting with no outage remembered", e.getMessage());
            return PolicyMemory.EMPTY;
        }
    }

    void save(PolicyMemory memory) {
        try {
            file.write(JSON.writeValueAsBytes(memory));
        } catch (IOException | java.io.UncheckedIOException e) {
            // The policy keeps running on what it knows; a restart would then announce the outage again.
            LOG.error("cannot write {}: {}; an outage may be announced twice after a restart", file, e.getMessage());
        }
    }
}
