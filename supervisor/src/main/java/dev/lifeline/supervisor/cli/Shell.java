package dev.lifeline.supervisor.cli;

import java.util.regex.Pattern;

/** Quoting for the command lines lifeline prints for people to paste into a POSIX shell. */
final class Shell {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@+-]+");

    private Shell() {
    }

    /** The word as is when the shell leaves it alone, else in single quotes (which keep everything but ' itself). */
    static String quote(String word) {
        if (SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
