package dev.lifeline.supervisor.cli;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Sets values under {@code bastion:} in a config's text, leaving every other character of the file as it was.
 *
 * <p>Why a text edit guided by SnakeYAML's node positions, not a load-and-dump: a dump re-formats the whole file
 * (quotes, indentation, flow lists), and SnakeYAML's comment round trip keeps only comments it can attach to a node,
 * losing or moving the commented-out blocks this config is full of. Here SnakeYAML only finds where each value sits
 * (line and column); the edit replaces exactly that value and nothing else. A key that is missing is added as a new
 * line below its section's last line, at the section's indentation; a missing {@code bastion:} goes at the end.
 */
final class BastionSection {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]*");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int INDENT = 2;

    private BastionSection() {
    }

    /** The text with each {@code bastion.PATH} set to its value. */
    static String update(String text, Map<List<String>, Object> values) {
        String result = text;
        // one edit at a time, re-reading positions after each: a handful of edits on a small file
        for (Map.Entry<List<String>, Object> e : values.entrySet()) {
            List<String> path = new ArrayList<>();
            path.add("bastion");
            path.addAll(e.getKey());
            result = set(result, path, render(e.getValue()));
        }
        return result;
    }

    /** The text with the value at {@code path} (from the top, e.g. links.backup.bastionSpeedUrl) set. */
    static String setAt(String text, List<String> path, Object value) {
        return set(text, path, render(value));
    }

    /** Whether {@code path} (from the top) is a block of keys in the text, e.g. links.backup. */
    static boolean hasBlock(String text, List<String> path) {
        Node node = compose(text);
        for (String key : path) {
            if (!(node instanceof MappingNode map) || find(map, key) == null) {
                return false;
            }
            node = find(map, key).getValueNode();
        }
        return node instanceof MappingNode;
    }

    private static String set(String text, List<String> path, String value) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        Node root = compose(text);
        if (root == null) {
            return append(lines, path, value);
        }
        if (!(root instanceof MappingNode map)) {
            throw new IllegalArgumentException("line 1: the config is not a mapping of sections; start from the example config");
        }
        for (int depth = 0; depth < path.size(); depth++) {
            String key = path.get(depth);
            NodeTuple found = find(map, key);
            if (found == null) {
                return depth == 0 ? append(lines, path, value) : insert(lines, map, path.subList(depth, path.size()), value);
            }
            Node v = found.getValueNode();
            if (depth == path.size() - 1) {
                if (!(v instanceof ScalarNode s)) {
                    throw notBlock(found, path.subList(0, depth + 1), "a single value");
                }
                return replace(lines, found, s, value);
            }
            if (!(v instanceof MappingNode next) || next.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
                throw notBlock(found, path.subList(0, depth + 1), "a block of keys, one a line");
            }
            map = next;
        }
        throw new IllegalStateException("unreachable: the loop returns at the path's last key");
    }

    private static IllegalArgumentException notBlock(NodeTuple at, List<String> path, String what) {
        return new IllegalArgumentException("line " + (at.getKeyNode().getStartMark().getLine() + 1) + ": " + String.join(".", path)
                + " must be " + what + " for lifeline import to update it; write it so (see the example config) and run the import again");
    }

    private static NodeTuple find(MappingNode map, String key) {
        NodeTuple found = null;
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                found = t;
            }
        }
        return found;
    }

    /** Replaces the value's characters only; what follows on its line (a comment) stays. */
    private static String replace(List<String> lines, NodeTuple tuple, ScalarNode s, String value) {
        if (s.getValue().isEmpty() && s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN) {
            // `key:` with no value: its marks point at whatever comes next, so write right after the colon instead
            Mark keyEnd = tuple.getKeyNode().getEndMark();
            String line = lines.get(keyEnd.getLine());
            int colon = line.indexOf(':', offset(line, keyEnd.getColumn()));
            lines.set(keyEnd.getLine(), line.substring(0, colon + 1) + " " + value + line.substring(colon + 1));
            return String.join("\n", lines);
        }
        Mark start = s.getStartMark();
        Mark end = s.getEndMark();
        String first = lines.get(start.getLine());
        String last = lines.get(end.getLine());
        String joined = first.substring(0, offset(first, start.getColumn())) + value + last.substring(offset(last, end.getColumn()));
        for (int i = end.getLine(); i > start.getLine(); i--) {
            lines.remove(i);
        }
        lines.set(start.getLine(), joined);
        return String.join("\n", lines);
    }

    /** Adds {@code rest} (keys, then the value) below the last line of {@code map}, at its keys' indentation. */
    private static String insert(List<String> lines, MappingNode map, List<String> rest, String value) {
        int indent = map.getValue().get(0).getKeyNode().getStartMark().getColumn();
        int after = lastLine(map);
        lines.addAll(after + 1, block(rest, value, indent));
        return String.join("\n", lines);
    }

    /** A new top-level section at the end of the file, after a blank line. */
    private static String append(List<String> lines, List<String> path, String value) {
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        if (!lines.isEmpty()) {
            lines.add("");
        }
        lines.add("# The bastion `pulumi up` built, from `pulumi stack output --json | lifeline import`.");
        lines.addAll(block(path, value, 0));
        lines.add("");
        return String.join("\n", lines);
    }

    private static List<String> block(List<String> path, String value, int indent) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            String pad = " ".repeat(indent + i * INDENT);
            out.add(pad + path.get(i) + ":" + (i == path.size() - 1 ? " " + value : ""));
        }
        return out;
    }

    /** 0-based index of the last line holding the node's content (not the comments after it). */
    private static int lastLine(Node n) {
        if (n instanceof MappingNode m && !m.getValue().isEmpty()) {
            NodeTuple t = m.getValue().get(m.getValue().size() - 1);
            Node v = t.getValueNode();
            boolean empty = v instanceof ScalarNode s && s.getValue().isEmpty() && s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
            return empty ? t.getKeyNode().getStartMark().getLine() : lastLine(v);
        }
        if (n instanceof SequenceNode q && !q.getValue().isEmpty()) {
            return lastLine(q.getValue().get(q.getValue().size() - 1));
        }
        Mark end = n.getEndMark();
        // a block scalar ends at the start of the line after it
        return end.getColumn() == 0 && end.getLine() > n.getStartMark().getLine() ? end.getLine() - 1 : end.getLine();
    }

    /** SnakeYAML counts columns in code points; Java strings index UTF-16 units. */
    private static int offset(String line, int column) {
        return line.offsetByCodePoints(0, Math.min(column, line.codePointCount(0, line.length())));
    }

    private static Node compose(String text) {
        try {
            return new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (YAMLException e) {
            throw new IllegalArgumentException("is not valid YAML; fix it first (lifeline check-config shows where)");
        }
    }

    /** Numbers and simple words as they are; anything else as a double-quoted string (JSON's quoting is YAML's). */
    static String render(Object value) {
        if (value instanceof Number n) {
            return n.toString();
        }
        String s = value.toString();
        if (PLAIN.matcher(s).matches() && !s.matches("(?i)true|false|null|yes|no|on|off|y|n")) {
            return s;
        }
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serialises", e);
        }
    }
}
