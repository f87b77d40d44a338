package dev.lifeline.templates.stack;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A stack file whose encrypted secrets are given in plain text from elsewhere, as the Pulumi engine decrypts them
 * before the program runs: rendering it yields the user-data exactly as {@code pulumi up} would pass it. Only keys
 * encrypted in the stack file may be given, so a plain-text secret in the file is still refused by the reader.
 */
public final class StackWithSecrets implements StackValues {
    private final StackValues file;
    private final Map<String, String> secrets;

    private StackWithSecrets(StackValues file, Map<String, String> secrets) {
        this.file = file;
        this.secrets = Map.copyOf(secrets);
    }

    /** Fails naming each given key that the stack file does not hold as an encrypted secret, with the fix. */
    public static StackWithSecrets of(StackValues file, Map<String, String> secrets) {
        Problems problems = new Problems();
        for (String key : secrets.keySet()) {
            if (!file.isEncrypted(key)) {
                problems.add(key, file.keys().contains(key)
                        ? "is not an encrypted secret in the stack file, so it takes no decrypted value; store it with"
                                + " `pulumi config set --secret lifeline:" + key + "` or drop the value given for it"
                        : "is not set in the stack file; set it with `pulumi config set --secret lifeline:" + key
                                + "` or drop the value given for it");
            }
        }
        if (problems.any()) {
            throw new StackConfigException(file.stackName(), problems.lines());
        }
        return new StackWithSecrets(file, secrets);
    }

    @Override
    public String stackName() {
        return file.stackName();
    }

    @Override
    public Optional<JsonNode> get(String key) {
        String plain = secrets.get(key);
        return plain != null ? Optional.of(TextNode.valueOf(plain)) : file.get(key);
    }

    @Override
    public boolean isSecret(String key) {
        return file.isSecret(key);
    }

    @Override
    public boolean isEncrypted(String key) {
        return !secrets.containsKey(key) && file.isEncrypted(key);
    }

    @Override
    public Set<String> keys() {
        return file.keys();
    }
}
