package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;

import dev.lifeline.templates.testing.Tools;

/**
 * Where libcrypto cannot be used, chacha20-poly1305@openssh.com runs on the JDK, and the log says why in one line
 * (no stack trace). Each case in a JVM of its own ({@link ChaCha20Poly1305ChoiceProbe}): the binding is made once per
 * JVM, and these JVMs break it on purpose.
 */
class LibcryptoFallbackTest {
    @Test
    void aMissingLibraryFallsBackToTheJdkCipherWithOneLogLine() {
        String out = probe("-D" + Libcrypto.LIBRARY_PROPERTY + "=libcrypto-missing.so.9");
        assertThat(out).contains("cipher=JdkChaCha20Poly1305 roundtrip=true");
        assertOneWarning(out, "libcrypto-missing.so.9").contains("libcrypto-missing.so.9: cannot open shared object file")
                .contains("install the libssl3 package");
    }

    /** JNA's own native part (libjnidispatch) not loadable: not unpacked from its jar, not looked for on the system. */
    @Test
    void jnaWithoutItsNativePartFallsBackToo() {
        String out = probe("-Djna.nounpack=true", "-Djna.nosys=true", "-Djna.boot.library.path=/nonexistent");
        assertThat(out).contains("cipher=JdkChaCha20Poly1305 roundtrip=true");
        assertOneWarning(out, "libcrypto.so.3").contains("JNA's native part (libjnidispatch) did not load: Could not find JNA native support")
                .contains("jna.tmpdir").doesNotContain("libssl3");
    }

    @Test
    void theRealLibraryIsChosenInTheSameSetUp() {
        String out = probe();
        assertThat(out).contains("cipher=LibcryptoChaCha20Poly1305 roundtrip=true").contains("runs on OpenSSL 3.")
                .doesNotContain("WARN");
    }

    /** The one warning line, checked for what every such line says; returned for the reason's own checks. */
    private static AbstractStringAssert<?> assertOneWarning(String out, String library) {
        List<String> warnings = out.lines().filter(l -> l.contains("WARN")).toList();
        assertThat(warnings).as(out).hasSize(1);
        assertThat(out).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        return assertThat(warnings.get(0)).contains("chacha20-poly1305@openssh.com: OpenSSL's " + library + " is not usable, so the"
                + " JDK's ChaCha20 runs it");
    }

    private static String probe(String... properties) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChaCha20Poly1305ChoiceProbe.class.getName()));
        Tools.Result r = Tools.run(60, command);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.output();
    }
}
