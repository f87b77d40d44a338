package dev.lifeline.templates.render;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** The octal modes of {@link RenderedFile} as the permission sets Java's file API wants. */
public final class FileModes {
    private static final String RWX = "rwx";

    private FileModes() {
    }

    /** {@code "0755"} → rwxr-xr-x. Only the permission bits: the templates never ask for setuid or sticky. */
    public static Set<PosixFilePermission> of(String octal) {
        if (!octal.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("not a file mode: " + octal);
        }
        StringBuilder sb = new StringBuilder();
        for (char c : octal.substring(octal.length() - 3).toCharArray()) {
            int bits = c - '0';
            for (int i = 0; i < 3; i++) {
                sb.append((bits & (4 >> i)) != 0 ? RWX.charAt(i) : '-');
            }
        }
        return PosixFilePermissions.fromString(sb.toString());
    }
}
