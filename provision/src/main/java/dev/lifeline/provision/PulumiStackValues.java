package dev.lifeline.provision;

import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.pulumi.Context;

import dev.lifeline.templates.stack.StackValues;

/**
 * The stack's {@code lifeline:*} config as the Pulumi engine hands it to the program. Values come through
 * Pulumi's own {@link com.pulumi.Config}; which keys exist and which are secret only the language host's
 * environment tells ({@code PULUMI_CONFIG}, {@code PULUMI_CONFIG_SECRET_KEYS}): the SDK offers no way to
 * list keys, and without the list a misspelt key would be silently ignored.
 */
public final class PulumiStackValues implements StackValues {
    static final String CONFIG_ENV = "PULUMI_CONFIG";
    static final String SECRET_KEYS_ENV = "PULUMI_CONFIG_SECRET_KEYS";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = NAMESPACE + ":";
    // Older language hosts still send keys as "lifeline:config:sshPort".
    private static final String LEGACY_PREFIX = NAMESPACE + ":config:";

    private final String stackName;
    private final Function<String, Optional<String>> lookup;
    private final Set<String> keys;
    private final Set<String> secretKeys;

    /**
     * @param lookup          a key (without namespace) to its raw config text
     * @param configJson      the language host's {@code PULUMI_CONFIG}: {"lifeline:key": "value", …}; may be null
     * @param secretKeysJson  its {@code PULUMI_CONFIG_SECRET_KEYS}: ["lifeline:key", …]; may be null
     */
    public PulumiStackValues(String stackName, Function<String, Optional<String>> lookup,
                             String configJson, String secretKeysJson) {
        this.stackName = stackName;
        this.lookup = lookup;
        this.keys = ourKeys(fieldNames(parse(configJson, CONFIG_ENV)));
        this.secretKeys = ourKeys(elements(parse(secretKeysJson, SECRET_KEYS_ENV)));
    }

    /** The values of the running deployment. */
    public static PulumiStackValues from(Context ctx) {
        return new PulumiStackValues(ctx.stackName(), ctx.config(NAMESPACE)::get,
                System.getenv(CONFIG_ENV), System.getenv(SECRET_KEYS_ENV));
    }

    @Override
    public String stackName() {
        return stackName;
    }

    @Override
    public Optional<JsonNode> get(String key) {
        return lookup.apply(key).map(PulumiStackValues::toNode);
    }

    @Override
    public boolean isSecret(String key) {
        return secretKeys.contains(key);
    }

    /** The engine decrypts every secret before the program runs. */
    @Override
    public boolean isEncrypted(String key) {
        return false;
    }

    @Override
    public Set<String> keys() {
        return keys;
    }

    /** Pulumi passes lists and objects as their JSON text, scalars as plain text. */
    private static JsonNode toNode(String raw) {
        String t = raw.strip();
        if (t.startsWith("[") || t.startsWith("{")) {
            try {
                return JSON.readTree(t);
            } catch (IOException e) {
                // Not JSON after all: hand over the text and let the spec reader name the wrong shape.
            }
        }
        return TextNode.valueOf(raw);
    }

    private static JsonNode parse(String json, String variable) {
        if (json == null || json.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(variable + " from the Pulumi language host is not JSON", e);
        }
    }

    private static Iterator<String> fieldNames(JsonNode object) {
        return object.fieldNames();
    }

    private static Iterator<String> elements(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out.iterator();
    }

    private static Set<String> ourKeys(Iterator<String> fullKeys) {
        Set<String> out = new LinkedHashSet<>();
        fullKeys.forEachRemaining(k -> {
            if (k.startsWith(LEGACY_PREFIX)) {
                out.add(k.substring(LEGACY_PREFIX.length()));
            } else if (k.startsWith(PREFIX)) {
                out.add(k.substring(PREFIX.length()));
            }
        });
        return Collections.unmodifiableSet(out);
    }
}
