package dev.lifeline.templates.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A {@code Pulumi.<stack>.yaml} read straight from disk. Secrets stay encrypted ({@code secure: v1:…}):
 * only the Pulumi CLI holds the key, so they read as {@linkplain #isEncrypted(String) encrypted}.
 */
public final class StackFileValues implements StackValues {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String stackName;
    private final Map<String, JsonNode> values;

    private StackFileValues(String stackName, Map<String, JsonNode> values) {
        this.stackName = stackName;
        this.values = values;
    }

    public static StackFileValues read(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new StackConfigException(nameOf(file), java.util.List.of(file + ": cannot be read as YAML ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()))
                    + "); fix the file or regenerate it with `pulumi config set`"));
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        JsonNode config = root == null ? null : root.get("config");
        if (config != null && config.isObject()) {
            config.fields().forEachRemaining(e -> {
                String k = e.getKey();
                if (k.startsWith(NAMESPACE + ":")) {
                    values.put(k.substring(NAMESPACE.length() + 1), e.getValue());
                }
            });
        }
        return new StackFileValues(nameOf(file), values);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String nameOf(Path file) {
        String n = file.getFileName().toString();
        if (n.startsWith("Pulumi.") && (n.endsWith(".yaml") || n.endsWith(".yml"))) {
            return n.substring("Pulumi.".length(), n.lastIndexOf('.'));
        }
        return n;
    }

    @Override
    public String stackName() {
        return stackName;
    }

    @Override
    public Optional<JsonNode> get(String key) {
        JsonNode v = values.get(key);
        if (v == null || v.isNull() || isEncrypted(key)) {
            return Optional.empty();
        }
        // Pulumi hands every scalar to the program as a string; do the same so both paths validate alike.
        return Optional.of(v.isValueNode() ? TextNode.valueOf(v.asText()) : v);
    }

    @Override
    public boolean isSecret(String key) {
        return isEncrypted(key);
    }

    @Override
    public boolean isEncrypted(String key) {
        JsonNode v = values.get(key);
        return v != null && v.isObject() && v.size() == 1 && v.has("secure");
    }

    @Override
    public Set<String> keys() {
        return values.keySet();
    }
}
