package dev.lifeline.supervisor.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.settings.HumanDuration;
import dev.lifeline.supervisor.settings.StartupChecks;

/**
 * Reads the supervisor's YAML config. Every mistake — an unknown key, a wrong value, a key file others can
 * read — is reported with the file, the line, the key and the fix; nothing runs with a config in doubt.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()));

    private ConfigLoader() {
    }

    /** As {@code lifeline run} loads it: the file's content, every value checked. */
    public static SupervisorConfig load(Path file) {
        return load(file, StartupChecks.NONE);
    }

    /** With {@code checks} of this machine asked as each value binds, their problems listed with the file's. */
    public static SupervisorConfig load(Path file, StartupChecks checks) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getClass().getSimpleName() + "); check the path and permissions");
        }
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(where(file, e) + "not valid YAML: " + e.getOriginalMessage());
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new ConfigException(file + ": is empty; see the example in README.md");
        }
        ObjectReader reader = YAML.reader(new InjectableValues.Std().addValue(StartupChecks.class, checks));
        return bindReportingEveryProblem(reader, file, text, tree);
    }

    /** The whole document, collected by {@link #collect}; every problem in the file's order, or the config. */
    private static SupervisorConfig bindReportingEveryProblem(ObjectReader reader, Path file, String text, JsonNode tree) {
        List<String> problems = new ArrayList<>();
        SupervisorConfig config = (SupervisorConfig) collect(reader, file, text, tree.deepCopy(), YAML.constructType(SupervisorConfig.class),
                List.of(), new RemovedPaths(), problems);
        if (problems.isEmpty() && config != null) {
            return config;
        }
        // in the file's order, so a person fixes them top to bottom
        problems.sort(java.util.Comparator.comparingInt(ConfigLoader::lineNumber));
        throw new ConfigException(String.join("\n", problems));
    }

    private static int lineNumber(String problem) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" line (\\d+): ").matcher(problem);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * Binds {@code node} as {@code type}; at each problem, notes it and takes the offending key out, then binds again —
     * so one pass reports every problem, not only the first. A problem that only a removal caused (a key now missing
     * under something already reported) is not reported again. When the node itself would have to go (a required
     * part is missing), each of its parts is checked on its own instead, so a mistake in one section never hides
     * those in another. Bounded: every round takes a node out, and there are at most {@link #MAX_PROBLEMS} rounds.
     *
     * @return the bound value, or null when there were problems
     */
    private static Object collect(ObjectReader reader, Path file, String text, JsonNode node, JavaType type, List<Object> prefix, RemovedPaths removed,
                                  List<String> problems) {
        for (int round = 0; round < MAX_PROBLEMS && problems.size() < MAX_PROBLEMS; round++) {
            try {
                Object value = reader.forType(type).readValue(node);
                return problems.isEmpty() ? value : null;
            } catch (IOException io) {
                if (!(io instanceof JsonProcessingException e)) {
                    problems.add(file + ": " + io.getMessage());
                    return null;
                }
                List<Object> at = new ArrayList<>(prefix);
                at.addAll(steps(e));
                if (e instanceof JsonMappingException m && !(e instanceof UnrecognizedPropertyException)) {
                    ConfigValueException value = valueProblem(m);
                    if (value != null) {
                        at.addAll(value.path());
                    }
                }
                List<Object> original = removed.original(at);
                if (!removed.causedBy(original)) {
                    problems.add(describe(file, text, original, e));
                }
                if (!removed.remove(node, at.subList(prefix.size(), at.size()), original, prefix.size())) {
                    collectParts(reader, file, text, node, type, prefix, removed, problems);
                    return null;
                }
            }
        }
        return null;
    }

    /** Each part of an object (or element of a list) bound on its own, for a node that cannot be bound whole. */
    private static void collectParts(ObjectReader reader, Path file, String text, JsonNode node, JavaType type, List<Object> prefix, RemovedPaths removed,
                                     List<String> problems) {
        if (node instanceof ArrayNode list && type.getContentType() != null) {
            for (int i = 0; i < list.size(); i++) {
                List<Object> at = new ArrayList<>(prefix);
                at.add(i);
                collect(reader, file, text, list.get(i), type.getContentType(), at, removed, problems);
            }
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        BeanDescription bean = YAML.getDeserializationConfig().introspect(type);
        for (BeanPropertyDefinition property : bean.findProperties()) {
            JsonNode part = object.get(property.getName());
            if (part != null && property.getPrimaryType() != null && !property.getPrimaryType().isJavaLangObject()) {
                List<Object> at = new ArrayList<>(prefix);
                at.add(property.getName());
                collect(reader, file, text, part, property.getPrimaryType(), at, removed, problems);
            }
        }
    }

    private static String describe(Path file, String text, List<Object> at, JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return where(file, text, at, e) + dotted(at) + ": unknown key; known here: "
                    + u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
        }
        if (e instanceof JsonMappingException m) {
            return where(file, text, at, e) + dotted(at) + ": " + reason(m);
        }
        return where(file, e) + "not valid YAML: " + e.getOriginalMessage();
    }

    private static String where(Path file, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return file + (at == null || at.getLineNr() < 1 ? ": " : " line " + at.getLineNr() + ": ");
    }

    /** The line of the key itself when the path finds it; Jackson's position (often the object's end) otherwise. */
    private static String where(Path file, String text, List<Object> at, JsonProcessingException e) {
        int line = YamlLines.lineOf(text, at);
        return line > 0 ? file + " line " + line + ": " : where(file, e);
    }

    /** Jackson's reference path as steps: field names and list indexes. */
    private static List<Object> steps(JsonProcessingException p) {
        if (!(p instanceof JsonMappingException e)) {
            return new ArrayList<>();
        }
        List<Object> steps = new ArrayList<>();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                steps.add(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                steps.add(r.getIndex());
            }
        }
        return steps;
    }

    /** {@code tunnels[0].remote}. */
    private static String dotted(List<Object> steps) {
        StringBuilder sb = new StringBuilder();
        for (Object s : steps) {
            if (s instanceof Integer i) {
                sb.append('[').append(i).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".").append(s);
            }
        }
        return sb.length() == 0 ? "config" : sb.toString();
    }

    private static final int MAX_PROBLEMS = 50;

    private static ConfigValueException valueProblem(JsonMappingException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ConfigValueException v) {
                return v;
            }
        }
        return null;
    }

    /** The message written for people (our own checks, a ConfigValueException among them), else Jackson's. */
    private static String reason(JsonMappingException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return t.getMessage();
            }
        }
        return e.getOriginalMessage();
    }

    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            try {
                return HumanDuration.parse(text);
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage(), e);
            }
        }
    }
}
