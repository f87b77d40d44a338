package dev.lifeline.supervisor.config;

import java.net.URI;

/** URLs in config: http(s) with a host, or a clear error naming the key. */
final class Endpoints {
    private Endpoints() {
    }

    static URI optional(String key, String text, String example) {
        return text == null || text.isBlank() ? null : required(key, text, example);
    }

    static URI required(String key, String text, String example) {
        if (text == null || text.isBlank()) {
            throw new ConfigValueException(key, key + " is missing; give a URL such as " + example);
        }
        try {
            URI uri = URI.create(text.trim());
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("scheme");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigValueException(key, key + " must be a URL such as " + example + " (got " + text + ")");
        }
    }
}
