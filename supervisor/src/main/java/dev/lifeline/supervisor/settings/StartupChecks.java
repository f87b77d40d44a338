package dev.lifeline.supervisor.settings;

import java.nio.file.Path;

/**
 * What check-config asks of this machine beyond the file: a key file parses as a key, a credentials file holds
 * credentials, an interface exists, the state directory is one. Asked inside the loading pass, so their problems come
 * in the same listing as the file's, each at its line. {@code lifeline run} meets each when it starts what it names,
 * so its load asks none ({@link #NONE}). Each throws IllegalArgumentException naming the problem and the fix.
 */
public interface StartupChecks {
    StartupChecks NONE = new StartupChecks() { };

    default void tunnelKey(Path key) { }

    default void awsCredentials(Path file) { }

    /** A line's {@code bind}: null, an IP address, or an interface of this machine. */
    default void bind(String bind) { }

    default void stateDir(Path dir) { }
}
