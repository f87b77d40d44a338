package dev.lifeline.supervisor.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

import dev.lifeline.templates.testing.Tools;

/**
 * Prometheus' and Alertmanager's own checkers, {@code promtool} and {@code amtool}, from Debian's {@code prometheus}
 * and {@code prometheus-alertmanager} packages: rules, configs and conventions as the real tools read them.
 */
public final class PrometheusTools {
    static final long RUN_BOUND_SECONDS = 60;

    private final Path binary;

    private PrometheusTools(Path binary) {
        this.binary = binary;
    }

    public static PrometheusTools promtool() {
        return require("promtool", "prometheus");
    }

    public static PrometheusTools amtool() {
        return require("amtool", "prometheus-alertmanager");
    }

    /** Fails under CI=true when the tool is missing (ci/test.sh installs it); elsewhere the test is skipped. */
    private static PrometheusTools require(String tool, String debianPackage) {
        try {
            return new PrometheusTools(Path.of(Tools.which(tool)));
        } catch (IllegalStateException missing) {
            // reported below
        }
        String why = tool + " is not installed; ci/test.sh installs it (apt-get install " + debianPackage + "; the service is not started)";
        if ("true".equals(System.getenv("CI"))) {
            fail(why);
        }
        Assumptions.abort(why);
        return null;
    }

    /** {@code TOOL ARGS…} with {@code stdin} (null: none), stdout and stderr together, bounded in time. */
    public Tools.Result run(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        return Tools.run(RUN_BOUND_SECONDS, command, Map.of(), stdin);
    }
}
