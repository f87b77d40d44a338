package dev.lifeline.supervisor.alert;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The HTTP side shared by the Telegram and webhook channels: bounded in time, errors classified in one place. */
final class ChannelHttp {
    private final Duration timeout;
    /**
     * Made at the first send, not at start: the JDK's client starts a selector thread and loads some 300 classes the
     * moment it is built, which a home that never alerts would carry for nothing.
     */
    private HttpClient client;

    ChannelHttp(Duration timeout) {
        this.timeout = timeout;
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return client;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * @param what  names the channel in messages, e.g. {@code telegram}
     * @param redact text that must not reach a message (a token in the URL); the I/O cause is dropped for the same reason
     */
    HttpResponse<String> send(String what, HttpRequest request, String redact) {
        try {
            return client().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            String detail = e.getMessage() == null ? "" : ": " + e.getMessage();
            if (redact != null && !redact.isEmpty()) {
                detail = detail.replace(redact, "***");
            }
            throw new NotifierException(what + " not reached (" + e.getClass().getSimpleName() + detail + "); will retry", false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotifierException(what + " send interrupted", false, null);
        }
    }

    /** 4xx means this request will never be accepted as it is, except a timeout (408) or a rate limit (429). */
    static boolean permanent(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }

    static String excerpt(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }
}
