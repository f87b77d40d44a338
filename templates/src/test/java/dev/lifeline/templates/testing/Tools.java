package dev.lifeline.templates.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real tool with a bound on time; a missing tool fails the test and says where it comes from. */
public final class Tools {
    private Tools() {
    }

    public record Result(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + ":\n" + output;
        }
    }

    public static Path require(String path) {
        Path p = Path.of(path);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(path + " is not installed; ci/test.sh installs every tool the tests need");
        }
        return p;
    }

    /** Runs {@code command} (stdout and stderr together), killing it after {@code seconds}. */
    public static Result run(long seconds, List<String> command) {
        return run(seconds, command, Map.of(), null);
    }

    public static Result run(long seconds, List<String> command, Map<String, String> env, String stdin) {
        require(command.get(0).startsWith("/") ? command.get(0) : which(command.get(0)));
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            var out = new java.io.ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try {
                    p.getInputStream().transferTo(out);
                } catch (IOException ignored) {
                    // the process went away
                }
            });
            reader.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                reader.join(2000);
                return new Result(-1, "timed out after " + seconds + " s: " + command + "\n" + out.toString(StandardCharsets.UTF_8));
            }
            reader.join(5000);
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    public static String which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(name + " is not installed; ci/test.sh installs every tool the tests need");
    }
}
