package dev.lifeline.supervisor.settings;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Closed sets as the config writes them: the constant's name in lower case, '-' for '_' (on-outage, uptime-kuma). */
public final class Words {
    private Words() {
    }

    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant {@code text} names; {@code fallback} when left out (null: the key is required). */
    public static <E extends Enum<E>> E parse(String key, Class<E> type, String text, E fallback) {
        if (text == null && fallback != null) {
            return fallback;
        }
        List<String> words = Arrays.stream(type.getEnumConstants()).map(Words::of).toList();
        int at = text == null ? -1 : words.indexOf(text.trim().toLowerCase(Locale.ROOT));
        if (at < 0) {
            throw new ConfigValueException(key, key + " must be " + String.join(", ", words.subList(0, words.size() - 1))
                    + " or " + words.get(words.size() - 1) + " (got " + text + ")");
        }
        return type.getEnumConstants()[at];
    }
}
