package dev.lifeline.supervisor.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.stack.StackConfigException;
import dev.lifeline.templates.stack.StackValues;

/**
 * The {@code lifeline:*} values {@code lifeline init} is about to write, checked by the same {@link BastionSpecReader}
 * that {@code pulumi up} and {@code lifeline render} run — so init never keeps a second copy of the stack's rules.
 * Secrets are never among the values: they are only marked as "will be set with {@code pulumi config set --secret}",
 * which is what the reader sees once they are.
 */
final class StackDraft implements StackValues {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String stackName;
    /** Sorted, as Pulumi writes a stack file's config map. */
    private final Map<String, Object> values = new TreeMap<>();
    private final Set<String> pendingSecrets = new TreeSet<>();
    /** Secret values given only to be checked (a Twilio token's form); never part of {@link #values()}. */
    private final Map<String, String> checkedSecrets = new TreeMap<>();

    StackDraft(String stackName) {
        this.stackName = stackName;
    }

    StackDraft set(String key, Object value) {
        values.put(key, value);
        return this;
    }

    StackDraft remove(String key) {
        values.remove(key);
        return this;
    }

    /** A key left for {@code pulumi config set --secret}. */
    StackDraft secretLater(String key) {
        pendingSecrets.add(key);
        return this;
    }

    /** The reader's verdict on a secret's value, as it will see it after {@code pulumi up} decrypts it. */
    List<String> problemsOfSecret(String key, String value) {
        checkedSecrets.put(key, value);
        try {
            return problemsOf(key);
        } finally {
            checkedSecrets.remove(key);
        }
    }

    Map<String, Object> values() {
        return values;
    }

    Set<String> pendingSecrets() {
        return pendingSecrets;
    }

    /** Every problem the reader finds, each {@code lifeline:KEY …}; empty when the stack would pass. */
    List<String> problems() {
        try {
            BastionSpecReader.read(this);
            return List.of();
        } catch (StackConfigException e) {
            return e.problems();
        }
    }

    /** The problems under one key ({@code region}, {@code twilio}: also {@code twilio.from}, {@code adminKeys[0]}). */
    List<String> problemsOf(String key) {
        String at = NAMESPACE + ":" + key;
        List<String> mine = new ArrayList<>();
        for (String p : problems()) {
            if (p.startsWith(at + " ") || p.startsWith(at + ".") || p.startsWith(at + "[")) {
                mine.add(p);
            }
        }
        return mine;
    }

    @Override
    public String stackName() {
        return stackName;
    }

    @Override
    public Optional<JsonNode> get(String key) {
        if (checkedSecrets.containsKey(key)) {
            return Optional.of(TextNode.valueOf(checkedSecrets.get(key)));
        }
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        // as StackFileValues hands them over: scalars as text, structures as trees
        return Optional.of(v instanceof String || v instanceof Number ? TextNode.valueOf(v.toString()) : JSON.valueToTree(v));
    }

    @Override
    public boolean isSecret(String key) {
        return pendingSecrets.contains(key) || checkedSecrets.containsKey(key);
    }

    @Override
    public boolean isEncrypted(String key) {
        return pendingSecrets.contains(key) && !checkedSecrets.containsKey(key);
    }

    @Override
    public Set<String> keys() {
        Set<String> all = new TreeSet<>(values.keySet());
        all.addAll(pendingSecrets);
        all.addAll(checkedSecrets.keySet());
        return all;
    }
}
