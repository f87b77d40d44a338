package dev.lifeline.supervisor.status;

import java.util.regex.Pattern;

/**
 * Keeps file paths out of what the status server shows: an error such as "cannot read /etc/lifeline/keys/tunnel1"
 * becomes "cannot read tunnel1". The name is enough to act on; the layout of the Pi's secrets is not for the page.
 */
final class Redaction {
    /** An absolute path at the start or after a space, quote or bracket; a URL's path (after "//host") is left alone. */
    private static final Pattern PATH = Pattern.compile("(?<=^|[\\s(\\[\"'=])/(?:[^\\s)\\]\"',;]*/)?([^\\s)\\]\"',;/]+)");

    private Redaction() {
    }

    static String paths(String text) {
        return text == null ? null : PATH.matcher(text).replaceAll("$1");
    }
}
