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

    /** A URL's path and query (a webhook's URL often is its credential), a phone number, a mail address. */
    private static final Pattern URL_TAIL = Pattern.compile("(https?://[^/\\s]+)[^\\s]*");
    private static final Pattern PHONE = Pattern.compile("\\+\\d[\\d ]{5,}\\d");
    private static final Pattern MAIL = Pattern.compile("[\\w.+-]+@([\\w-]+\\.[\\w.-]+)");

    static String paths(String text) {
        return text == null ? null : PATH.matcher(text).replaceAll("$1");
    }

    /** For a channel's failure reason on the page: no recipient, no URL beyond its host, no path. */
    static String recipients(String text) {
        if (text == null) {
            return null;
        }
        String t = URL_TAIL.matcher(text).replaceAll("$1/…");
        t = PHONE.matcher(t).replaceAll("+…");
        t = MAIL.matcher(t).replaceAll("…@$1");
        return paths(t);
    }
}
