package dev.lifeline.supervisor.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@link ConfigLoader} took out of a document to bind past a problem, and how paths in the shrunken document
 * map back to the user's file: a list element taken out shifts the ones after it, but the user's line numbers and
 * {@code tunnels[2]} must stay theirs.
 */
final class RemovedPaths {
    private final List<List<Object>> removed = new ArrayList<>();
    /** Per list (its original path), the original indexes taken out of it. */
    private final Map<List<Object>, TreeSet<Integer>> removedIndexes = new HashMap<>();

    /** The path in the user's file for a path in the current document. */
    List<Object> original(List<Object> current) {
        List<Object> out = new ArrayList<>();
        for (Object step : current) {
            if (step instanceof Integer i) {
                int index = i;
                for (int taken : removedIndexes.getOrDefault(out, new TreeSet<>())) {
                    if (taken <= index) {
                        index++;
                    }
                }
                out.add(index);
            } else {
                out.add(step);
            }
        }
        return out;
    }

    /**
     * True when the problem sits under something already taken out, or is about a list an element was taken out of
     * ("tunnels lists no tunnel" once its one bad tunnel is out): a consequence, not a mistake of the user's.
     */
    boolean causedBy(List<Object> original) {
        for (List<Object> r : removed) {
            boolean under = original.size() >= r.size() && original.subList(0, r.size()).equals(r);
            boolean listOf = original.size() < r.size() && r.get(original.size()) instanceof Integer
                    && r.subList(0, original.size()).equals(original);
            if (under || listOf) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes the node at {@code current} (relative to {@code doc}, which sits at {@code prefix} steps of
     * {@code original}) out of {@code doc} — or, when it is not there (a required key is missing), its nearest
     * ancestor inside {@code doc} that is. False when nothing can be taken out (the problem is {@code doc} itself).
     */
    boolean remove(JsonNode doc, List<Object> current, List<Object> original, int prefix) {
        for (int depth = current.size(); depth > 0; depth--) {
            JsonNode parent = at(doc, current.subList(0, depth - 1));
            Object last = current.get(depth - 1);
            boolean taken = false;
            if (parent instanceof ObjectNode o && last instanceof String key && o.has(key)) {
                o.remove(key);
                taken = true;
            } else if (parent instanceof ArrayNode a && last instanceof Integer i && i < a.size()) {
                a.remove(i);
                removedIndexes.computeIfAbsent(List.copyOf(original.subList(0, prefix + depth - 1)), k -> new TreeSet<>())
                        .add((Integer) original.get(prefix + depth - 1));
                taken = true;
            }
            if (taken) {
                removed.add(List.copyOf(original.subList(0, prefix + depth)));
                return true;
            }
        }
        return false;
    }

    private static JsonNode at(JsonNode doc, List<Object> path) {
        JsonNode node = doc;
        for (Object step : path) {
            if (node == null) {
                return null;
            }
            node = step instanceof Integer i ? node.get(i) : node.get((String) step);
        }
        return node;
    }
}
