package dev.lifeline.supervisor.cli;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A {@code Pulumi.<stack>.yaml} as {@code pulumi config set} leaves it: one {@code config:} map, keys namespaced by
 * the project ({@code lifeline:sshPort}) and sorted, two-space indentation with list items indented under their key
 * (the layout of the stack files shown in pulumi/pulumi issue #17586), top-level values as strings, a number quoted
 * ({@code "47022"}), and numbers inside structures as numbers ({@code port: 29000}) — "top level values are always
 * written to the configuration as string; for paths we distinguish between booleans, numbers and strings"
 * (pulumi/pulumi pull request #18285). A string that only looks like a number (a phone number, +14155550100) stays a
 * quoted string, which is what the stack check needs. No {@code secure:} value is ever written here.
 */
final class StackFileText {
    /** Words YAML would read as something other than this text; and anything else outside a safe alphabet. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9 ._/@+=-]*[A-Za-z0-9._/@+=-]|[A-Za-z]");
    private static final Pattern NOT_A_STRING = Pattern.compile("(?i)true|false|yes|no|on|off|y|n|null");
    private static final ObjectMapper JSON = new ObjectMapper();

    private StackFileText() {
    }

    static String of(String namespace, Map<String, Object> values) {
        StringBuilder out = new StringBuilder("config:\n");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            value(out, 2, namespace + ":" + e.getKey(), e.getValue());
        }
        return out.toString();
    }

    private static void value(StringBuilder out, int indent, String key, Object v) {
        String pad = " ".repeat(indent);
        if (v instanceof List<?> list) {
            out.append(pad).append(key).append(":\n");
            for (Object item : list) {
                item(out, indent + 2, item);
            }
        } else if (v instanceof Map<?, ?> map) {
            out.append(pad).append(key).append(map.isEmpty() ? ": {}\n" : ":\n");
            map.forEach((k, x) -> value(out, indent + 2, k.toString(), x));
        } else {
            out.append(pad).append(key).append(": ").append(scalar(v)).append('\n');
        }
    }

    private static void item(StringBuilder out, int indent, Object item) {
        String pad = " ".repeat(indent);
        if (item instanceof Map<?, ?> map) {
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                StringBuilder one = new StringBuilder();
                value(one, indent + 2, e.getKey().toString(), e.getValue());
                // the first key goes on the dash's line: "- name: tunnel1"
                out.append(first ? pad + "- " + one.substring(indent + 2) : one);
                first = false;
            }
        } else {
            out.append(pad).append("- ").append(scalar(item)).append('\n');
        }
    }

    private static String scalar(Object v) {
        if (v instanceof Number n) {
            return n.toString();
        }
        String s = v.toString();
        if (PLAIN.matcher(s).matches() && !NOT_A_STRING.matcher(s).matches()) {
            return s;
        }
        try {
            return JSON.writeValueAsString(s); // JSON's double quotes are YAML's
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serialises", e);
        }
    }
}
