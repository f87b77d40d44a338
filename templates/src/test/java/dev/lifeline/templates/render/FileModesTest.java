package dev.lifeline.templates.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;

class FileModesTest {
    @Test
    void octalModesBecomeTheirPermissionBits() {
        assertThat(PosixFilePermissions.toString(FileModes.of("0755"))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(FileModes.of("0600"))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(FileModes.of("640"))).isEqualTo("rw-r-----");
    }

    @Test
    void anythingElseIsRefused() {
        assertThatThrownBy(() -> FileModes.of("4755")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileModes.of("rw-")).isInstanceOf(IllegalArgumentException.class);
    }
}
