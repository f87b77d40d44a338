package dev.lifeline.templates.testing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings a sysctl file (the home's /usr/lib/sysctl.d/60-lifeline.conf, the bastion's /etc/sysctl.d/60-lifeline.conf)
 * asks for, read the way sysctl and systemd-sysctl read it, so a test can ask the kernel whether each is in force.
 */
public final class SysctlFile {
    private SysctlFile() {
    }

    /**
     * Each {@code key = value} in file order. The format (procps-ng sysctl.conf(5); systemd sysctl.d(5) "Configuration
     * format"): blank lines and lines whose first non-blank character is {@code #} or {@code ;} are comments; whitespace
     * around key and value is not part of them, whitespace inside a value is. A key set twice keeps its first place
     * and its last value, as the last assignment is the one in force.
     *
     * @throws IllegalArgumentException naming the line, when one is not {@code key = value} or is an optional
     *                                  ({@code -key}) assignment, which a test of settings in force cannot rely on
     */
    public static Map<String, String> entries(String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("line " + (i + 1) + " of the sysctl file is not `key = value`: \"" + line
                        + "\"; write the setting as e.g. net.ipv4.tcp_retries2 = 7, or start a comment with # or ;");
            }
            if (key.startsWith("-")) {
                throw new IllegalArgumentException("line " + (i + 1) + " of the sysctl file is optional (" + key
                        + "): sysctl ignores a failure to set it, so a test cannot expect it in force; drop the leading -");
            }
            entries.put(key, line.substring(eq + 1).strip());
        }
        return Collections.unmodifiableMap(entries);
    }
}
