package dev.lifeline.provision.testing;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.lifeline.templates.testing.Tools;

/**
 * AWS IAM's decision for a request under one identity policy, as iam-simulate makes it: an implementation of IAM's
 * policy evaluation that also checks each action's resource types against AWS's service authorization data (its
 * iam-data package), so a resource an action cannot be scoped to is an error, not a silent match. ci/test.sh installs
 * it, pinned by ci/iam-simulate/package-lock.json, into /opt/lifeline-ci/iam-simulate; without it a test is skipped on
 * a workstation and fails under {@code CI=true}. Only the translation to its input is ours (src/test/resources/iam).
 */
public final class IamSimulator {
    static final Path CI_DIR = Path.of("/opt/lifeline-ci/iam-simulate");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request: an action on a resource ARN, or "*". */
    public record Request(String action, String resource) {
    }

    private final Path script;

    private IamSimulator(Path script) {
        this.script = script;
    }

    public static IamSimulator find() {
        boolean installed = Files.isRegularFile(CI_DIR.resolve("node_modules/@cloud-copilot/iam-simulate/package.json"));
        boolean node = Files.isExecutable(Path.of("/usr/bin/node")) || onPath("node");
        if (!installed || !node) {
            String why = (node ? "" : "node is not installed; ") + (installed ? "" : "iam-simulate is not in " + CI_DIR + "; ")
                    + "ci/test.sh installs them";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            System.err.println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        try {
            return new IamSimulator(Path.of(IamSimulator.class.getResource("/iam/simulate.cjs").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The decisions, in order: "Allowed", "ImplicitlyDenied", "ExplicitlyDenied", or "error: …" when IAM would not
     * even evaluate the request (an ARN of a type the action does not take, for one).
     */
    public List<String> decide(String policyJson, String principalArn, String account, List<Request> requests) {
        ObjectNode question = JSON.createObjectNode();
        try {
            question.set("policy", JSON.readTree(policyJson));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the policy is not JSON", e);
        }
        question.put("principal", principalArn);
        question.put("account", account);
        var list = question.putArray("requests");
        requests.forEach(r -> list.addObject().put("action", r.action()).put("resource", r.resource()));
        Tools.Result run = Tools.run(120, List.of(node(), script.toString(), CI_DIR.toString()), Map.of(), question.toString());
        if (run.exitCode() != 0) {
            throw new IllegalStateException("iam-simulate failed: " + run);
        }
        try {
            List<String> answers = new ArrayList<>();
            for (JsonNode n : JSON.readTree(run.output())) {
                answers.add(n.asText());
            }
            return answers;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("iam-simulate did not answer JSON: " + run, e);
        }
    }

    private static String node() {
        return Files.isExecutable(Path.of("/usr/bin/node")) ? "/usr/bin/node" : Tools.which("node");
    }

    private static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, name))) {
                return true;
            }
        }
        return false;
    }
}
