package dev.lifeline.templates.stack;

import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code lifeline:*} keys of one Pulumi stack, wherever they come from: the Pulumi engine during
 * {@code pulumi up}, or the stack file itself for {@code lifeline render}. Keys are given without
 * the {@code lifeline:} namespace; structured values arrive as JSON trees, scalars as text.
 */
public interface StackValues {

    String NAMESPACE = "lifeline";

    String stackName();

    Optional<JsonNode> get(String key);

    /** True when the key was set with {@code pulumi config set --secret}. */
    boolean isSecret(String key);

    /** True when the key holds a secret this reader cannot decrypt (a stack file read without Pulumi). */
    boolean isEncrypted(String key);

    /** Every key set in the {@code lifeline} namespace, so a typo is caught instead of ignored. */
    Set<String> keys();
}
