package dev.lifeline.templates.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.render.BastionLayout;
import dev.lifeline.templates.stack.BastionSpecReader;

/** {@link SysctlFile} against procps' own reader: {@code sysctl --dry-run -p FILE} prints what it would set, in order. */
class SysctlFileTest {
    @TempDir
    Path dir;

    @Test
    void theHomesPackagedFileReadsAsSysctlReadsIt() throws IOException {
        String text;
        try (InputStream in = SysctlFileTest.class.getResourceAsStream("/home/sysctl.conf")) {
            assertThat(in).as("home/sysctl.conf among the templates' resources").isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        Map<String, String> entries = SysctlFile.entries(text);

        assertThat(entries).as("settings in the home's file").isNotEmpty();
        assertThat(entries).containsExactlyEntriesOf(asSysctlReadsIt(text));
    }

    @Test
    void theBastionsRenderedFileReadsAsSysctlReadsIt() {
        String text = BastionFiles.render(BastionSpecReader.read(TestStacks.validAws()), BastionLayout.onVm()).stream()
                .filter(f -> f.path().equals(BastionFiles.SYSCTL)).findFirst().orElseThrow().content();

        Map<String, String> entries = SysctlFile.entries(text);

        assertThat(entries).as("settings in the bastion's file").hasSizeGreaterThanOrEqualTo(2);
        assertThat(entries).containsExactlyEntriesOf(asSysctlReadsIt(text));
    }

    @Test
    void commentsBlankLinesAndSpacingAsSysctlReadsThem() {
        String text = String.join("\n", List.of(
                "# a comment",
                "; another kind of comment",
                "   # an indented one",
                "",
                "  \t",
                "  net.ipv4.tcp_retries2   =  9  ",
                "kernel.domainname=first",
                "net.ipv4.tcp_thin_linear_timeouts= 1",
                "kernel.domainname = a value with spaces",
                ""));

        Map<String, String> entries = SysctlFile.entries(text);

        assertThat(entries).containsExactlyEntriesOf(asSysctlReadsIt(text));
        assertThat(entries).containsExactly(Map.entry("net.ipv4.tcp_retries2", "9"),
                Map.entry("kernel.domainname", "a value with spaces"), Map.entry("net.ipv4.tcp_thin_linear_timeouts", "1"));
    }

    @Test
    void aLineThatIsNotKeyEqualsValueFailsNamingTheLine() {
        String text = "# settings\nnet.ipv4.tcp_retries2 = 7\nnet.ipv4.tcp_thin_linear_timeouts 1\n";

        assertThatThrownBy(() -> SysctlFile.entries(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 3").hasMessageContaining("net.ipv4.tcp_thin_linear_timeouts 1")
                .hasMessageContaining("key = value");
        assertThat(dryRun(text).output()).as("sysctl itself refuses the line").contains("(3): invalid syntax");
        assertThatThrownBy(() -> SysctlFile.entries("= 7\n")).hasMessageContaining("line 1");
    }

    @Test
    void anOptionalAssignmentFailsForATestCannotExpectItInForce() {
        assertThatThrownBy(() -> SysctlFile.entries("\n-net.ipv4.tcp_retries2 = 7\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2").hasMessageContaining("drop the leading -");
    }

    /** sysctl's dry run prints {@code key = value} for each assignment in order; a later one of a key wins. */
    private Map<String, String> asSysctlReadsIt(String text) {
        Tools.Result r = dryRun(text);
        assertThat(r.exitCode()).as("sysctl --dry-run: %s", r).isZero();
        Map<String, String> read = new LinkedHashMap<>();
        for (String line : r.output().split("\n")) {
            if (!line.isBlank()) {
                String[] kv = line.split(" = ", 2);
                assertThat(kv).as("sysctl's line %s", line).hasSize(2);
                read.put(kv[0], kv[1]);
            }
        }
        return read;
    }

    private Tools.Result dryRun(String text) {
        Path file = dir.resolve("60-test-" + System.nanoTime() + ".conf");
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Tools.run(10, List.of(sysctl(), "--dry-run", "-p", file.toString()));
    }

    private static String sysctl() {
        boolean present = Files.isExecutable(Path.of("/usr/sbin/sysctl")) || Files.isExecutable(Path.of("/sbin/sysctl"));
        if (!present && !"true".equals(System.getenv("CI"))) {
            System.out.println("SysctlFileTest: sysctl (procps) is not installed, so the reader is not compared with it (ci/test.sh installs procps)");
        }
        assumeTrue(present || "true".equals(System.getenv("CI")), "sysctl (procps) is not installed");
        return Tools.which("sysctl");
    }
}
