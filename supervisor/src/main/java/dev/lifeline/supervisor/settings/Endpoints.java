package dev.lifeline.supervisor.settings;

import java.net.URI;

/** URLs in config: http(s) with a host, or a clear error naming the key. */
public final class Endpoints {
    private Endpoints() {
    }

    public static URI optional(String key, String text, String example) {
        return text == null || text.isBlank() ? null : required(key, text, example);
    }

    public static URI required(String key, String text, String example) {
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

    /**
     * A URL that carries a secret (in itself, or a token sent to it): no user:password in it, and private in transit.
     *
     * @param why what would travel in clear text, e.g. "when a tokenFile is set (the token would travel in clear text)"
     */
    public static void requireSecretSafe(String key, URI url, String noUserInfo, String why) {
        if (url.getUserInfo() != null) {
            // user:password in a URL ends up in logs and status pages
            throw new ConfigValueException(key, key + " must not carry user:password; " + noUserInfo);
        }
        if (why != null && !privateInTransit(url)) {
            throw new ConfigValueException(key, key + " must be https:// " + why + "; only a loopback address (127.0.0.1, [::1],"
                    + " localhost) may use http://");
        }
    }

    /**
     * Whether a secret in a request to {@code url} (a token header, a capability URL) stays between the two ends:
     * https, or plain http to this machine's own loopback. Literal loopback names only: deciding this must not ask DNS.
     */
    private static boolean privateInTransit(URI url) {
        return "https".equalsIgnoreCase(url.getScheme()) || isLoopback(url.getHost());
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return h.equalsIgnoreCase("localhost") || h.matches("127(\\.\\d{1,3}){3}") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }
}
