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
            throw new ConfigException(where(file, e) + path(e) + ": unknown key '" + e.getPropertyName() + "'; known here: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
        } catch (JsonMappingException e) {
            throw new ConfigException(where(file, e) + path(e) + ": " + reason(e));
        } catch (JsonProcessingException e) {
            throw new ConfigException(where(file, e) + "not valid YAML: " + e.getOriginalMessage());
        }
    }

    private static String where(Path file, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return file + (at == null || at.getLineNr() < 1 ? ": " : " line " + at.getLineNr() + ": ");
    }

    /** {@code tunnels[0].remote}, from Jackson's reference path. */
    private static String path(JsonMappingException e) {
        List<JsonMappingException.Reference> refs = e.getPath();
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "config" : sb.toString();
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
