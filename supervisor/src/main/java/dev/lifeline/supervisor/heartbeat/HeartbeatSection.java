package dev.lifeline.supervisor.heartbeat;

import java.net.URI;
import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.settings.Endpoints;
import dev.lifeline.supervisor.settings.Words;

/**
 * {@code heartbeat:}: the dead-man's switch. Every {@code every} the supervisor pings {@code url} at an outside service
 * (Healthchecks, an Uptime Kuma push monitor), which alerts when the pings stop: the one alert that still works when
 * the whole house is dark, because it needs nothing from the house.
 *
 * @param url     the check's ping URL. It is a capability (whoever knows it can ping in our name or silence the switch),
 *                so it is never shown whole: logs and the status page show its host only
 * @param every   how often a ping is sent; the outside service's period is this, its grace a few of these
 * @param timeout how long one ping may take (connect and answer); at most {@code every}, so pings never pile up
 * @param format  how trouble is said: Healthchecks' {@code /fail} or Uptime Kuma's {@code status=down}
 */
public record HeartbeatSection(URI url, Duration every, Duration timeout, Format format) {
    public static final Duration DEFAULT_EVERY = Duration.ofSeconds(60);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Tests ping every second; a real one every minute or so. Faster would only load the service. */
    static final Duration MIN_EVERY = Duration.ofSeconds(1);
    /** A switch pinged more rarely than daily notices a dark house a day late: no longer a lifeline. */
    static final Duration MAX_EVERY = Duration.ofDays(1);

    public enum Format {
        /**
         * Healthchecks (healthchecks.io or self-hosted): success is a request to the ping URL, failure the same URL with
         * {@code /fail} appended (https://healthchecks.io/docs/signaling_failures/).
         */
        HEALTHCHECKS,
        /**
         * Uptime Kuma's push monitor: one URL, {@code /api/push/<token>}, for every method; the query's {@code status}
         * is {@code up} or anything else for down, {@code msg} the text shown (louislam/uptime-kuma,
         * server/routers/api-router.js, route {@code /api/push/:pushToken}).
         */
        UPTIME_KUMA;

        public String configName() {
            return Words.of(this);
        }
    }

    @JsonCreator
    static HeartbeatSection read(@JsonProperty("url") String url, @JsonProperty("every") Duration every,
                                 @JsonProperty("timeout") Duration timeout, @JsonProperty("format") String format) {
        return new HeartbeatSection(Endpoints.required("url", url, "https://hc-ping.com/<your-check's-uuid>"),
                every == null ? DEFAULT_EVERY : every, timeout, Words.parse("format", Format.class, format, Format.HEALTHCHECKS));
    }

    public HeartbeatSection {
        if (url == null) {
            throw new ConfigValueException("url", "url is missing; give the check's ping URL, e.g. https://hc-ping.com/<uuid>");
        }
        // the URL is the check's credential: over http anyone on the path can read it, then ping for a dead house
        Endpoints.requireSecretSafe("url", url, "use the ping URL the service shows as it is",
                "(the ping URL is the check's credential and would travel in clear text)");
        format = format == null ? Format.HEALTHCHECKS : format;
        if (format == Format.UPTIME_KUMA && (url.getPath() == null || !url.getPath().contains("/api/push/"))) {
            throw new ConfigValueException("url", "format uptime-kuma needs the push monitor's URL, https://<your-kuma>/api/push/<token>"
                    + " (got a URL whose path has no /api/push/); for Healthchecks write format: healthchecks");
        }
        if (every == null || every.compareTo(MIN_EVERY) < 0 || every.compareTo(MAX_EVERY) > 0) {
            throw new ConfigValueException("every", "every must be between 1s and 1d, e.g. 60s (got " + show(every) + ")");
        }
        timeout = timeout == null ? (DEFAULT_TIMEOUT.compareTo(every) < 0 ? DEFAULT_TIMEOUT : every) : timeout;
        if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(every) > 0) {
            throw new ConfigValueException("timeout", "timeout must be more than 0 and at most every (" + show(every)
                    + "), e.g. 10s (got " + show(timeout) + ")");
        }
    }

    /** What may be shown of the URL: its host. The path (Healthchecks' UUID, Uptime Kuma's token) is the secret. */
    public String host() {
        return url.getHost();
    }

    /** As written in the config: 500ms, 2s. */
    private static String show(Duration d) {
        if (d == null) {
            return "nothing";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
