package dev.lifeline.templates.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Unix users the real-sshd tests log in as; ci/test.sh creates them (sshd admits only real users). */
public final class TestUsers {
    public static final String ADMIN = "lifeline-it-admin";
    public static final String TUNNEL1 = "lifeline-it-t1";
    public static final String TUNNEL2 = "lifeline-it-t2";

    private TestUsers() {
    }

    public static void requirePresent() {
        try {
            String passwd = Files.readString(Path.of("/etc/passwd"));
            for (String u : new String[] {ADMIN, TUNNEL1, TUNNEL2}) {
                if (!passwd.contains("\n" + u + ":") && !passwd.startsWith(u + ":")) {
                    throw new IllegalStateException("test user " + u + " does not exist; run ci/test.sh (as root) once");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /etc/passwd", e);
        }
    }
}
