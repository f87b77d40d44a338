package dev.lifeline.supervisor.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import dev.lifeline.templates.testing.Tools;

/**
 * Debian's chromium, headless, one run per call: {@code --dump-dom} or {@code --screenshot}, or a browser left running
 * for a test to drive ({@link #devTools()}: layout numbers, viewports, screenshots). Every run has a fresh profile, no
 * network but what the caller allows (the host resolver maps every name to NOTFOUND except 127.0.0.1), a time bound,
 * and ends with it and every process it spawned stopped by PID.
 */
public final class HeadlessChromium {
    /** Page scripts get this much virtual time: enough for the page's fetches and first drawing. */
    static final int VIRTUAL_TIME_BUDGET_MS = 5000;
    static final Duration RUN_BOUND = Duration.ofSeconds(60);

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** Fails under CI=true when chromium is missing (ci/test.sh installs it); elsewhere the test is skipped. */
    public static HeadlessChromium require() {
        try {
            return new HeadlessChromium(Path.of(Tools.which("chromium")));
        } catch (IllegalStateException missing) {
            // reported below
        }
        String why = "chromium is not installed; ci/test.sh installs it (apt-get install chromium)";
        if ("true".equals(System.getenv("CI"))) {
            fail(why);
        }
        Assumptions.abort(why);
        return null;
    }

    /** The DOM after the page's scripts ran. */
    public String dumpDom(URI page) {
        return run(List.of("--dump-dom", page.toString())).output();
    }

    public Path screenshot(URI page, Path png) {
        Result r = run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1200,900", page.toString()));
        if (!Files.isRegularFile(png)) {
            fail("chromium wrote no screenshot to " + png + ":\n" + r.output());
        }
        return png;
    }

    /**
     * A browser left running for a test to drive over the DevTools protocol (layout numbers from the real engine);
     * its close() stops it and its helpers by PID.
     */
    public DevToolsBrowser devTools() {
        return DevToolsBrowser.launch(this);
    }

    public record Result(int exitCode, String output) {
    }

    /**
     * What every run shares: root in a container means no sandbox, headless means no GPU, and nothing may phone home
     * on its own; any name but 127.0.0.1 fails to resolve, so a page that needs the internet would show it here.
     */
    List<String> flags(Path profile) {
        return List.of(binary.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");
    }

    /** Times on the page are local times: UTC here, so a test can compare them with the JSON's instants. */
    static ProcessBuilder processBuilder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("TZ", "UTC");
        return pb;
    }

    private Result run(List<String> args) {
        Path profile;
        Path out;
        try {
            profile = Files.createTempDirectory("lifeline-chromium-");
            out = Files.createTempFile("lifeline-chromium-", ".out");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> command = new ArrayList<>(flags(profile));
        command.add("--virtual-time-budget=" + VIRTUAL_TIME_BUDGET_MS);
        command.addAll(args);
        Process p = null;
        Set<ProcessHandle> spawned = new HashSet<>();
        try {
            p = processBuilder(command).redirectOutput(out.toFile()).start();
            long deadline = System.nanoTime() + RUN_BOUND.toNanos();
            // Chromium's helpers (zygote, renderer, crashpad) are remembered while the parent lives, so the ones that
            // outlive it can still be stopped by PID afterwards.
            while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(spawned::add);
                if (System.nanoTime() > deadline) {
                    fail("chromium did not finish within " + RUN_BOUND.toSeconds() + " s: " + command);
                }
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running chromium", e);
        } finally {
            if (p != null) {
                p.descendants().forEach(spawned::add);
                spawned.forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            deleteTree(profile);
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // a temp file; the OS cleans up
            }
        }
    }

    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp profile; the OS cleans up
        }
    }
}
