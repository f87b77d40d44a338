package dev.lifeline.templates.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * A real moto EC2 emulator ({@code moto_server}) on a free 127.0.0.1 port, stopped by its PID — with moto's default
 * public images, or exactly those of a given file ({@code MOTO_AMIS_PATH}, moto's own switch for that).
 * ci/test.sh installs moto into /opt/lifeline-ci/venv; without it a test is skipped on a workstation and fails under
 * {@code CI=true}.
 */
public final class MotoServer implements AutoCloseable {
    static final Path CI_VENV_BIN = Path.of("/opt/lifeline-ci/venv/bin/moto_server");

    private final Process process;
    private final int port;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static MotoServer start() {
        return start(Map.of());
    }

    /** moto whose public images are exactly those in {@code amisJson} (moto's format, {@code amis.json}). */
    public static MotoServer withImages(Path amisJson) {
        return start(Map.of("MOTO_AMIS_PATH", amisJson.toAbsolutePath().toString()));
    }

    /**
     * moto that authenticates and authorizes every request after the first {@code freeActions}: moto's own switch,
     * INITIAL_NO_AUTH_ACTION_COUNT ("moto will skip performing any authentication as many times as the variable's
     * value, and only starts authenticating requests afterwards", moto's docs/iam.rst). Those free actions are for
     * making the first IAM user and key; everything after needs a key of a user whose policy allows it.
     * Note that moto 5.2.5 checks every EC2 action against the resource "*" (core/responses.py call_action: EC2 has no
     * _determine_resource), so a statement scoped to an instance ARN never allows anything there.
     */
    public static MotoServer enforcingIam(int freeActions) {
        return start(Map.of("INITIAL_NO_AUTH_ACTION_COUNT", String.valueOf(freeActions)));
    }

    private static MotoServer start(Map<String, String> environment) {
        Path binary = find().orElse(null);
        if (binary == null) {
            String why = "moto_server is not installed (not on PATH, not in " + CI_VENV_BIN.getParent() + "); ci/test.sh installs it";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            System.err.println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        int port = FreePorts.next();
        try {
            Path log = Files.createTempFile("moto-", ".log");
            ProcessBuilder pb = new ProcessBuilder(List.of(binary.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port)))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(environment);
            Process p = pb.start();
            Daemons.awaitListening(p, port, Duration.ofSeconds(60), log);
            return new MotoServer(p, port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
    }

    /** The moto_server {@link #start} would run, for a test that runs it elsewhere (in a container); skips or fails like start. */
    public static Path binary() {
        Path binary = find().orElse(null);
        if (binary == null) {
            String why = "moto_server is not installed (not on PATH, not in " + CI_VENV_BIN.getParent() + "); ci/test.sh installs it";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        return binary;
    }

    /**
     * The pinned moto ci/test.sh installs comes first: an older one on PATH (5.2.1) fails to answer DescribeImages
     * for images loaded with their creation dates (HTTP 500).
     */
    static Optional<Path> find() {
        if (Files.isExecutable(CI_VENV_BIN)) {
            return Optional.of(CI_VENV_BIN);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "moto_server");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
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

    @Override
    public String toString() {
        return "moto_server pid " + process.pid() + " on 127.0.0.1:" + port + (process.isAlive() ? "" : " (stopped)");
    }
}
