package dev.lifeline.templates.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 keep-alive connection over TLS to 127.0.0.1, sending {@code GET /} one request after another until the
 * server closes it or the count is reached: what a long-lived dashboard or monitoring client does, seen byte by byte
 * (a pooled client would hide which answers shared a connection).
 */
public final class KeepAliveConnection {
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    public record Outcome(int answered, int okAnswers, boolean lastSaidClose, boolean closedAfterLast) {
    }

    private KeepAliveConnection() {
    }

    public static Outcome run(SSLContext tls, int port, int maxRequests) throws IOException {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            int answered = 0;
            int ok = 0;
            boolean saidClose = false;
            for (int i = 0; i < maxRequests && !saidClose; i++) {
                out.write("GET / HTTP/1.1\r\nHost: lifeline-test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = readHead(in);
                if (head == null) {
                    return new Outcome(answered, ok, false, true);
                }
                answered++;
                if (head.startsWith("HTTP/1.1 200")) {
                    ok++;
                }
                String lower = head.toLowerCase(Locale.ROOT);
                saidClose = lower.contains("\r\nconnection: close");
                skip(in, contentLength(lower));
            }
            return new Outcome(answered, ok, saidClose, saidClose && closed(in));
        }
    }

    /** The status line and headers, or null when the server closed before a single byte. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside a response head: " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static long contentLength(String lowerHead) throws IOException {
        for (String line : lowerHead.split("\r\n")) {
            if (line.startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        throw new IOException("no Content-Length in " + lowerHead);
    }

    private static void skip(InputStream in, long n) throws IOException {
        for (long left = n; left > 0; left--) {
            if (in.read() < 0) {
                throw new IOException("connection closed inside a body");
            }
        }
    }

    private static boolean closed(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (javax.net.ssl.SSLException e) {
            // a close without close_notify is still a close
            return true;
        }
    }
}
