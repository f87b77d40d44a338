package dev.lifeline.supervisor.alert;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The words people read. The bastion's login alert is a shell script (it must work while the home is unreachable),
 * so its wording lives twice: here and in {@code lifeline-login-alert.sh.mustache}. A test renders the script and
 * holds the two to the same text.
 */
public final class AlertTexts {
    public static final String PREFIX = "lifeline: ";
    /** The same fields {@code date -u '+%Y-%m-%d %H:%M UTC'} prints on the bastion. */
    private static final DateTimeFormatter LOGIN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);
    private static final int SUBJECT_MAX = 78;

    private AlertTexts() {
    }

    /** {@code lifeline: SSH login admin from 198.51.100.7 on bastion at 2025-01-31 22:04 UTC}. */
    public static String login(String user, String fromIp, String host, String when) {
        return PREFIX + "SSH login " + user + " from " + fromIp + " on " + host + " at " + when;
    }

    /** The bastion stamps logins in UTC: it knows nothing of the admin's zone. */
    public static String loginTime(Instant at) {
        return LOGIN_TIME.format(at);
    }

    /** A time in the admin's zone, for texts the home sends. */
    public static String localTime(Instant at, ZoneId zone) {
        return LOCAL_TIME.format(at.atZone(zone));
    }

    /** An email subject or a push title: the alert's first line, prefixed, at most 78 characters (RFC 5322's line advice). */
    public static String subject(Alert alert) {
        String first = alert.text().strip().lines().findFirst().orElse(alert.condition());
        String subject = first.startsWith(PREFIX) ? first : PREFIX + first;
        return subject.length() <= SUBJECT_MAX ? subject : subject.substring(0, SUBJECT_MAX - 1) + "…";
    }

    /** What {@code lifeline test-alert} sends: says what it is, so nobody acts on it. */
    public static Alert test(Instant at, ZoneId zone, String host) {
        return new Alert("test-" + at.toEpochMilli(), at, Severity.NORMAL, "lifeline.test",
                PREFIX + "test alert from " + host + " at " + localTime(at, zone) + ". Nothing is wrong; this channel works.");
    }
}
