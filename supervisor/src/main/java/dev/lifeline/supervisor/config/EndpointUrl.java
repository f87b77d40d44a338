package dev.lifeline.supervisor.config;

import java.net.URI;

/** An optional API endpoint override: an http(s) URL with a host, or null when left out. */
final class EndpointUrl {
    private EndpointUrl() {
    }

    static URI parse(String text, String example) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(text.trim());
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("scheme");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigValueException("endpoint", "endpoint must be a URL such as " + example + " (got " + text + ")");
        }
    }
}
