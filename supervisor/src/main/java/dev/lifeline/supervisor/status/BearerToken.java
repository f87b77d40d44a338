package dev.lifeline.supervisor.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The secret every request must present as {@code Authorization: Bearer <token>}. Compared in constant time, so
 * response timing does not leak how many leading characters were right; {@link #toString()} never shows it.
 */
public final class BearerToken {
    private static final String SCHEME = "Bearer ";
    private final byte[] expected;

    public BearerToken(String token) {
        if (token == null || token.length() < 16 || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("status.tokenFile must hold one token of at least 16 printable characters, no spaces"
                    + " (e.g. `openssl rand -hex 32`)");
        }
        this.expected = (SCHEME + token).getBytes(StandardCharsets.US_ASCII);
    }

    /** @param authorization the request's Authorization header, or null */
    boolean admits(String authorization) {
        byte[] presented = authorization == null ? new byte[0] : authorization.strip().getBytes(StandardCharsets.UTF_8);
        // MessageDigest.isEqual is constant-time in the contents (its length check leaks only the length).
        return MessageDigest.isEqual(expected, presented);
    }

    @Override
    public String toString() {
        return "BearerToken[redacted]";
    }
}
