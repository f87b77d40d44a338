package dev.lifeline.supervisor.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.testing.JvmOptions;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.Tools;

/**
 * The shipped jvm.options make C2 compile our idle paths (a keepalive a second per tunnel) after a few hundred calls
 * instead of never: with C2 alone a method must reach 10,000 calls, and the counters halve every 30 s, so a path called
 * twice a second stayed interpreted for ever and was half an idle supervisor's CPU (docs/performance.md). Asked of a
 * real JVM with the file's flags: its JIT's code list after 300 calls of one of our methods, and, as the control, the
 * same JVM without those flags.
 */
class JvmOptionsCompileIdlePathsTest {
    private static final String METHOD = IdlePathProbe.class.getName() + "::keepaliveLike";

    @Test
    void threeHundredCallsOfOurCodeAreCompiledWithTheShippedFlags() throws Exception {
        assertThat(compiledAfter(300, JvmOptions.javaArguments(), Duration.ofSeconds(30))).as("compiled with the shipped flags").isTrue();
    }

    @Test
    void withoutThemTheSameCallsStayInterpreted() throws Exception {
        List<String> withoutIdleFlags = JvmOptions.read(JvmOptions.file()).stream()
                .filter(f -> !f.startsWith("-XX:CompileCommand") && !f.equals("-XX:-UseCounterDecay")).toList();
        assertThat(withoutIdleFlags).as("the shipped flags have the idle-path ones to take away").hasSizeLessThan(
                JvmOptions.read(JvmOptions.file()).size());
        // a compile once due takes milliseconds: 5 s without one is none
        assertThat(compiledAfter(300, withoutIdleFlags, Duration.ofSeconds(5))).as("compiled without the flags").isFalse();
    }

    /** Whether {@link #METHOD} is in the JIT's code list within {@code wait} of {@code calls} calls. */
    private static boolean compiledAfter(int calls, List<String> flags, Duration wait) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), IdlePathProbe.class.getName(), String.valueOf(calls)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("called ")) {
                assertThat(line).as("the JVM's own output").doesNotContain("error");
            }
            assertThat(line).as("the probe ran").isNotNull();
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            try {
                Await.until(METHOD + " in the code list", wait, () -> codeList(jcmd, p.pid()).contains(METHOD));
                return true;
            } catch (AssertionError notCompiled) {
                return false;
            }
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    private static String codeList(String jcmd, long pid) {
        Tools.Result r = Tools.run(30, List.of(jcmd, String.valueOf(pid), "Compiler.codelist"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        // a line a method: "… dev.lifeline.supervisor.jvm.IdlePathProbe.keepaliveLike(I)V [0x…] …"
        return r.output().replace(IdlePathProbe.class.getName() + ".keepaliveLike(", METHOD + "(");
    }
}
