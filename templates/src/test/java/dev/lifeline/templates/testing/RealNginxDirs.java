package dev.lifeline.templates.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The directories Debian's nginx package would have made, under a test root. */
public final class RealNginxDirs {
    private RealNginxDirs() {
    }

    public static void prepare(BastionRoot root) {
        try {
            for (String d : new String[] {"/var/log/nginx", "/var/lib/nginx", "/run", "/var/www/acme", "/var/www/lifeline"}) {
                Files.createDirectories(root.path(d));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
