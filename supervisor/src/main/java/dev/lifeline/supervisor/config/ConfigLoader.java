package dev.lifeline.supervisor.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

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

    public static SupervisorConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getClass().getSimpleName() + "); check the path and permissions");
        }
        try {
            SupervisorConfig config = YAML.readValue(text, SupervisorConfig.class);
            if (config == null) {
                throw new ConfigException(file + ": is empty; see the example in README.md");
            }
            return config;
        } catch (UnrecognizedPropertyException e) {
            List<Object> at = steps(e);
            throw new ConfigException(where(file, text, at, e) + dotted(at) + ": unknown key; known here: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
        } catch (JsonMappingException e) {
            List<Object> at = steps(e);
            ConfigValueException value = valueProblem(e);
            if (value != null && value.key() != null) {
                at.add(value.key());
            }
            throw new ConfigException(where(file, text, at, e) + dotted(at) + ": " + (value != null ? value.getMessage() : reason(e)));
        } catch (JsonProcessingException e) {
            throw new ConfigException(where(file, e) + "not valid YAML: " + e.getOriginalMessage());
        }
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
    private static List<Object> steps(JsonMappingException e) {
        List<Object> steps = new java.util.ArrayList<>();
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

    private static ConfigValueException valueProblem(JsonMappingException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ConfigValueException v) {
                return v;
            }
        }
        return null;
    }

    /** The innermost message that was written for people (our own checks), else Jackson's. */
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
