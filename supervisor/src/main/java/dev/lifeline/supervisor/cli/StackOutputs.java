package dev.lifeline.supervisor.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What {@code pulumi stack output --json} says about the bastion (the exports of provision's LifelineBastion), as the
 * values of the supervisor config's {@code bastion:} section.
 */
record StackOutputs(String provider, String publicIp, String sshPort, String knownHostsLine, String region, String instanceId,
                    String speedUrl, SupervisorKeyOutputs supervisorKey) {
    /** What pulumi prints for a secret output without --show-secrets. */
    static final String HIDDEN = "[secret]";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOW = "pipe the outputs of the stack you built: pulumi stack output --json | lifeline import --config FILE";

    static StackOutputs parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stdin is not JSON (line " + e.getLocation().getLineNr() + "); " + HOW);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("stdin is not a JSON object of stack outputs; " + HOW);
        }
        List<String> missing = new ArrayList<>();
        String provider = text(root, "provider", missing);
        String ip = text(root, "publicIp", missing);
        String port = text(root, "sshPort", missing);
        String hostKey = text(root, "knownHostsLine", missing);
        String instanceId = text(root, "instanceId", missing);
        String region = "aws".equals(provider) ? text(root, "region", missing) : null;
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("stack output " + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " missing; run pulumi up first (it exports them), then " + HOW);
        }
        if (!provider.equals("aws") && !provider.equals("digitalocean")) {
            throw new IllegalArgumentException("stack output provider must be aws or digitalocean (got " + provider + ")");
        }
        if (hostKey.equals("[secret]")) {
            throw new IllegalArgumentException("stack output knownHostsLine shows as [secret]; it is a public key, export it in plain text");
        }
        // optional: exported only with a domain, and a secret (its path keeps strangers off the speed test)
        JsonNode speed = root.get("speedUrl");
        String speedUrl = speed == null || !speed.isTextual() || speed.asText().isBlank() ? null : speed.asText().trim();
        if (speedUrl != null && !speedUrl.equals(HIDDEN) && !speedUrl.matches("https://[^/\\s]+/lifeline/speed/[0-9a-f]{32}")) {
            throw new IllegalArgumentException("stack output speedUrl must be https://DOMAIN/lifeline/speed/ and 32 hex digits");
        }
        // optional: only an AWS stack makes the supervisor a key (DigitalOcean tokens are made by hand)
        SupervisorKeyOutputs key = SupervisorKeyOutputs.parse(root);
        if (key != null && !provider.equals("aws")) {
            throw new IllegalArgumentException("stack output " + SupervisorKeyOutputs.ID + " belongs to an aws stack, but provider is "
                    + provider + "; pipe the outputs of one stack, as pulumi prints them");
        }
        return new StackOutputs(provider, ip, port, hostKey, region, instanceId, speedUrl, key);
    }

    /** Key paths under {@code bastion:} and their values, in the order they are written into a new section. */
    Map<List<String>, Object> bastionValues() {
        Map<List<String>, Object> v = new LinkedHashMap<>();
        v.put(List.of("provider"), provider);
        v.put(List.of("host"), publicIp);
        v.put(List.of("port"), number("sshPort", sshPort));
        v.put(List.of("hostKey"), knownHostsLine);
        if (provider.equals("aws")) {
            v.put(List.of("aws", "region"), region);
            v.put(List.of("aws", "instanceId"), instanceId);
        } else {
            v.put(List.of("digitalocean", "dropletId"), number("instanceId", instanceId));
        }
        return v;
    }

    private static long number(String output, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stack output " + output + " must be a number (got " + text + ")");
        }
    }

    private static String text(JsonNode root, String name, List<String> missing) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull() || !n.isValueNode() || n.asText().isBlank()) {
            missing.add(name);
            return null;
        }
        return n.asText().trim();
    }
}
