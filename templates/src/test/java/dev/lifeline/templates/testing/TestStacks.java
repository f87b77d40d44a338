package dev.lifeline.templates.testing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.lifeline.templates.stack.StackValues;

/**
 * Stack values as a test writes them: {@code set("sshPort", "47022")}, structured values as JSON,
 * secrets with {@code secret(...)} — the same shapes Pulumi hands the program.
 */
public final class TestStacks implements StackValues {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String stack;
    private final Map<String, JsonNode> values = new HashMap<>();
    private final Set<String> secrets = new HashSet<>();

    public TestStacks(String stack) {
        this.stack = stack;
    }

    /** A complete, valid AWS stack with two tunnels, Twilio, a web front and fresh keys. */
    public static TestStacks validAws() {
        TestStacks s = new TestStacks("test");
        s.set("provider", "aws");
        s.set("sshPort", "47022");
        // Pinned, as every AWS stack that deploys is: a release name (debian-12) only names the image to pin.
        s.set("image", "ami-0d3b1e2a4c5f60789");
        s.json("adminKeys", List.of(TestKeys.ed25519("admin@laptop").publicLine()));
        s.json("tunnels", List.of(
                Map.of("name", "tunnel1", "port", 29000, "publicKey", TestKeys.ed25519("tunnel1@pi").publicLine()),
                Map.of("name", "tunnel2", "port", 39000, "publicKey", TestKeys.ed25519("tunnel2@pi").publicLine())));
        s.json("knownGoodIps", List.of("198.51.100.7/32"));
        s.json("twilio", Map.of("accountSid", "AC" + "0123456789abcdef".repeat(2), "from", "+14155550100",
                "to", List.of("+14155550111")));
        s.secret("twilioAuthToken", "fedcba9876543210".repeat(2));
        s.json("web", Map.of());
        s.secret("hostKey", TestKeys.ed25519("host").privatePem());
        return s;
    }

    /** The same values under another stack name (e.g. prod_eu, which no cloud takes as it is). */
    public TestStacks named(String otherStack) {
        TestStacks copy = new TestStacks(otherStack);
        copy.values.putAll(values);
        copy.secrets.addAll(secrets);
        return copy;
    }

    /** A plain (non-secret) value. */
    public TestStacks set(String key, String value) {
        values.put(key, TextNode.valueOf(value));
        secrets.remove(key);
        return this;
    }

    public TestStacks json(String key, Object value) {
        values.put(key, JSON.valueToTree(value));
        return this;
    }

    public TestStacks secret(String key, String value) {
        values.put(key, TextNode.valueOf(value));
        secrets.add(key);
        return this;
    }

    public TestStacks remove(String key) {
        values.remove(key);
        secrets.remove(key);
        return this;
    }

    @Override
    public String stackName() {
        return stack;
    }

    @Override
    public Optional<JsonNode> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public boolean isSecret(String key) {
        return secrets.contains(key);
    }

    @Override
    public boolean isEncrypted(String key) {
        return false;
    }

    @Override
    public Set<String> keys() {
        return values.keySet();
    }
}
