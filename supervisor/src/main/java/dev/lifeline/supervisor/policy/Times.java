package dev.lifeline.supervisor.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Times as the alerts print them: wall-clock in the user's zone, spans as {@code 1h 5m}. */
final class Times {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    private Times() {
    }

    static String clock(Instant at, Clock clock) {
        return CLOCK.format(at.atZone(clock.getZone()));
    }

    static String span(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
        }
        return (s / 3600) + "h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + "m");
    }
}
