package dev.lifeline.supervisor.heartbeat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One ping as the service expects it: where it goes, how, and the text that says why.
 *
 * @param body null: a GET without a body
 */
record PingRequest(URI uri, String method, String body) {
    /** Uptime Kuma's push URL as its page shows it carries these; ours replace them. */
    private static final List<String> KUMA_PARAMETERS = List.of("status", "msg", "ping");
    /** Long enough for every reason the supervisor gives; Uptime Kuma keeps msg in a heartbeat row, Healthchecks logs 100 kB. */
    static final int MAX_TEXT = 200;

    /**
     * @param trouble false: all is well; true: {@code text} says what is wrong
     */
    static PingRequest of(HeartbeatSection config, boolean trouble, String text) {
        String message = text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
        return switch (config.format()) {
            // Healthchecks accepts HEAD, GET and POST, and logs the first 100 kB of a POST's body next to the ping, so
            // the check's log says why it failed (https://healthchecks.io/docs/attaching_logs/); failure is the same URL
            // with /fail appended (https://healthchecks.io/docs/signaling_failures/).
            case HEALTHCHECKS -> new PingRequest(trouble ? withPathSuffix(config.url(), "/fail") : config.url(), "POST", message);
            // Uptime Kuma's push route takes every method and reads status (up, else down) and msg from the query
            // (louislam/uptime-kuma, server/routers/api-router.js, router.all("/api/push/:pushToken")).
            case UPTIME_KUMA -> new PingRequest(withKumaQuery(config.url(), trouble ? "down" : "up", message), "GET", null);
        };
    }

    /** {@code https://hc-ping.com/UUID} + {@code /fail}; a trailing slash is not doubled, a query is kept. */
    static URI withPathSuffix(URI url, String suffix) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + path + suffix + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }

    /** The push URL with status and msg set, whatever the pasted URL had for them (its page shows ?status=up&msg=OK&ping=). */
    static URI withKumaQuery(URI url, String status, String message) {
        List<String> kept = new ArrayList<>();
        if (url.getRawQuery() != null) {
            for (String pair : url.getRawQuery().split("&")) {
                String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                if (!pair.isEmpty() && !KUMA_PARAMETERS.contains(name)) {
                    kept.add(pair);
                }
            }
        }
        kept.add("status=" + status);
        kept.add("msg=" + URLEncoder.encode(message, StandardCharsets.UTF_8));
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath()) + "?" + String.join("&", kept));
    }
}
