package dev.lifeline.supervisor.settings;

/** A config file the supervisor cannot run with; the message names the file, the line, the key and the fix. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
