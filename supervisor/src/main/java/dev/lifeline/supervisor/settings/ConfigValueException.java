package dev.lifeline.supervisor.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A config value that is wrong, naming the key (and list index) it sits under so the loader can point at its line. */
public class ConfigValueException extends IllegalArgumentException {
    private final List<Object> path;

    public ConfigValueException(String key, String message) {
        this(key == null ? List.of() : List.of(key), message);
    }

    private ConfigValueException(List<Object> path, String message) {
        super(message);
        this.path = path;
    }

    public String key() {
        return path.isEmpty() ? null : (String) path.get(0);
    }

    /** The key below the record that threw, with the list index when one element is wrong: {@code probes, 1}. */
    public List<Object> path() {
        return path;
    }

    /** {@code text} as its area's parser reads it; the parser's message (which names the value and the fix) under {@code key}. */
    public static <T> T parse(String key, String text, Function<String, T> parser) {
        return parse(List.of(key), "", text, parser);
    }

    /** As {@link #parse}, for a parser whose message leaves the key to its caller: "minDownload 'x' is not a rate…". */
    public static <T> T parseNamed(String key, String text, Function<String, T> parser) {
        return parse(List.of(key), key + " ", text, parser);
    }

    /** Each element parsed; a wrong one is reported at its own index. */
    public static <T> List<T> parseEach(String key, List<String> texts, Function<String, T> parser) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            out.add(parse(List.of(key, i), "", texts.get(i), parser));
        }
        return List.copyOf(out);
    }

    /** A check of a value already read; its IllegalArgumentException becomes a problem at {@code path}. */
    public static void check(List<Object> path, Runnable check) {
        parse(path, "", null, ignored -> {
            check.run();
            return null;
        });
    }

    private static <T> T parse(List<Object> path, String prefix, String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigValueException(path, prefix + e.getMessage());
        }
    }
}
