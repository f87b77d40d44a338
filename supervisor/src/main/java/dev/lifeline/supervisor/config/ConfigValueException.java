package dev.lifeline.supervisor.config;

/** A config value that is wrong, naming the key it sits under so the loader can point at its line. */
public class ConfigValueException extends IllegalArgumentException {
    private final String key;

    public ConfigValueException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
