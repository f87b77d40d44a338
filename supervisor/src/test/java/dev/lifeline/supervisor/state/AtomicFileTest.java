package dev.lifeline.supervisor.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void aLinkPlantedAtThePredictableTemporaryNameIsNeverFollowed() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "untouched");
        // the name the writer used to take every time
        Files.createSymbolicLink(dir.resolve(".state.json.tmp"), victim);

        new AtomicFile(dir.resolve("state.json")).write("{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(victim)).isEqualTo("untouched");
        assertThat(Files.readString(dir.resolve("state.json"))).isEqualTo("{\"a\":1}");
    }

    @Test
    void theNewFileIsTheOwnersAloneAndNoTemporaryFileStays() throws Exception {
        AtomicFile f = new AtomicFile(dir.resolve("outbox.json"));
        f.write("one".getBytes(StandardCharsets.UTF_8));
        f.write("two".getBytes(StandardCharsets.UTF_8));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.path()))).isEqualTo("rw-------");
        assertThat(f.read()).hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("two"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("outbox.json");
        }
    }
}
