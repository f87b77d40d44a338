package dev.lifeline.supervisor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.tunnel.TunnelConfig;
import dev.lifeline.templates.testing.Daemons;

/** The real {@code lifeline.jar run} in its own JVM, with the JVM flags the systemd unit uses. */
public final class SupervisorProcess implements AutoCloseable {
    /**
     * The JVM flags of ./lifeline and the systemd unit: their flags file itself ({@code @jvm.options}), so the two never
     * drift apart; BENCH_JVM_FLAGS replaces it to try other flags.
     */
    public static final List<String> JVM_FLAGS = System.getenv("BENCH_JVM_FLAGS") == null ? JvmOptions.javaArguments()
            : List.of(System.getenv("BENCH_JVM_FLAGS").trim().split("\\s+"));

    private final Process process;
    private final Path log;

    private SupervisorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static Path jar() {
        // from the module (the integration tests) or from the repository root (ci/bench.sh)
        Path jar = Path.of("target", "lifeline.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            jar = Path.of("supervisor", "target", "lifeline.jar").toAbsolutePath();
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the integration tests run after `mvn package` builds it");
        }
        return jar;
    }

    public static SupervisorProcess start(SupervisorConfig config, Path dir) {
        try {
            Path file = dir.resolve("lifeline.yaml");
            Files.writeString(file, yaml(config));
            return start(file, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code lifeline run --config FILE}, logging to DIR/supervisor.log (appended to across restarts). */
    public static SupervisorProcess start(Path file, Path dir) {
        return start(file, dir, jar(), JVM_FLAGS);
    }

    /** A variant for benchmarks that compare two builds or two sets of JVM flags side by side. */
    public static SupervisorProcess start(SupervisorConfig config, Path dir, Path jar, List<String> jvmFlags) {
        try {
            Path file = dir.resolve("lifeline.yaml");
            Files.writeString(file, yaml(config));
            return start(file, dir, jar, jvmFlags);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SupervisorProcess start(Path file, Path dir, Path jar, List<String> jvmFlags) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", jar.toString()));
        return start(command, file, dir);
    }

    /**
     * {@code LAUNCHER run --config FILE} with a launcher script as the systemd unit runs it (the .deb's /usr/bin/lifeline,
     * which execs java: the process is the JVM).
     */
    public static SupervisorProcess startWithLauncher(Path launcher, SupervisorConfig config, Path dir) {
        return startWithLauncher(launcher, config, "", dir);
    }

    /** The same with {@code moreYaml} (whole top-level sections) after the config's own. */
    public static SupervisorProcess startWithLauncher(Path launcher, SupervisorConfig config, String moreYaml, Path dir) {
        try {
            Path file = dir.resolve("lifeline.yaml");
            Files.writeString(file, yaml(config) + moreYaml);
            return start(List.of(launcher.toString()), file, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SupervisorProcess start(List<String> launcher, Path file, Path dir) {
        try {
            Path log = dir.resolve("supervisor.log");
            List<String> command = new ArrayList<>(launcher);
            command.addAll(List.of("run", "--config", file.toString()));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("MALLOC_ARENA_MAX", "2");
            Process p = pb.start();
            return new SupervisorProcess(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The config as a person would write it. */
    static String yaml(SupervisorConfig c) {
        StringBuilder y = new StringBuilder();
        y.append("bastion:\n  provider: ").append(c.bastion().provider().word()).append("\n  host: ").append(c.bastion().host())
                .append("\n  port: ").append(c.bastion().port()).append("\n  hostKey: \"").append(c.bastion().hostKey().keyText())
                .append("\"\ntunnels:\n");
        for (TunnelConfig t : c.tunnels()) {
            y.append("  - name: ").append(t.name()).append("\n    user: ").append(t.user()).append("\n    key: ").append(t.key())
                    .append("\n    remote: ").append(t.remote()).append("\n    local: ").append(t.local()).append('\n');
        }
        var s = c.tunnelSettings();
        y.append("ssh:\n  keepaliveInterval: ").append(s.keepaliveInterval().toMillis()).append("ms\n  keepaliveMaxMisses: ")
                .append(s.keepaliveMaxMisses()).append("\n  backoffInitial: ").append(s.backoffInitial().toMillis())
                .append("ms\n  backoffMax: ").append(s.backoffMax().toMillis()).append("ms\n  healthyAfter: ")
                .append(s.healthyAfter().toMillis()).append("ms\n");
        if (!s.ciphers().isEmpty()) {
            y.append("  ciphers: [").append(String.join(", ", s.ciphers())).append("]\n");
        }
        return y.toString();
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public String log() {
        return Daemons.read(log);
    }

    @Override
    public void close() {
        Daemons.stop(process);
    }
}
