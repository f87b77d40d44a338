package dev.lifeline.templates.spec;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * One OpenSSH public key, parsed and checked: the text is what goes into authorized_keys,
 * stripped of any options a user pasted, so only our own options ever apply.
 */
public record SshPublicKey(String type, String base64, String comment, String fingerprint) {
    // Below 3072 bits RSA is no longer considered safe past 2030 (NIST SP 800-57).
    private static final int MIN_RSA_BITS = 3072;
    private static final List<String> ACCEPTED = List.of(
            "ssh-ed25519", "sk-ssh-ed25519@openssh.com", "ssh-rsa",
            "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
            "sk-ecdsa-sha2-nistp256@openssh.com");

    /** Parses one {@code type base64 [comment]} line; the message says what is wrong and how to get a good one. */
    public static SshPublicKey parse(String line) {
        String text = line == null ? "" : line.trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("is empty; paste the whole line of a .pub file (ssh-keygen -t ed25519)");
        }
        if (text.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            // A second line would become a second authorized_keys entry without our options.
            throw new IllegalArgumentException("holds a line break or control character; give exactly one key line");
        }
        if (text.contains("PRIVATE KEY")) {
            throw new IllegalArgumentException("is a private key; give the public half (the .pub file) — and treat that private key as leaked");
        }
        AuthorizedKeyEntry entry;
        PublicKey key;
        try {
            entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(text);
            if (entry == null) {
                throw new IllegalArgumentException("no key");
            }
            key = entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        } catch (Exception e) {
            throw new IllegalArgumentException("is not an OpenSSH public key ('type AAAA… comment'); copy the line from the .pub file");
        }
        String type = entry.getKeyType();
        if (!ACCEPTED.contains(type)) {
            throw new IllegalArgumentException("has key type " + type + ", which the bastion does not accept; use ssh-ed25519");
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("is an RSA key of " + rsa.getModulus().bitLength()
                    + " bits; use ≥ " + MIN_RSA_BITS + " bits or, better, ssh-ed25519");
        }
        String[] parts = text.split("\\s+");
        int typeAt = 0;
        while (typeAt < parts.length && !parts[typeAt].equals(type)) {
            typeAt++;
        }
        String base64 = parts[typeAt + 1];
        String comment = entry.getComment() == null ? "" : entry.getComment().trim();
        if (!comment.matches("[A-Za-z0-9 ._@+:/=-]*")) {
            throw new IllegalArgumentException("has a comment with characters other than letters, digits and . _ @ + : / = -;"
                    + " shorten it to something like user@host");
        }
        return new SshPublicKey(type, base64, comment, KeyUtils.getFingerPrint(key));
    }

    static SshPublicKey of(PublicKey key, String comment) {
        String line = PublicKeyEntry.toString(key);
        String[] parts = line.split(" ");
        return new SshPublicKey(parts[0], parts[1], comment, KeyUtils.getFingerPrint(key));
    }

    /** The key itself, for code that compares keys (the supervisor's host-key pin). */
    public PublicKey toPublicKey() {
        try {
            return AuthorizedKeyEntry.parseAuthorizedKeyEntry(keyText()).resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        } catch (Exception e) {
            throw new IllegalStateException("a parsed key no longer decodes: " + this, e);
        }
    }

    /** {@code type base64} without the comment, as known_hosts and authorized_keys want it. */
    public String keyText() {
        return type + " " + base64;
    }

    /** The full line, comment included. */
    public String line() {
        return comment.isEmpty() ? keyText() : keyText() + " " + comment;
    }

    @Override
    public String toString() {
        return type + " " + fingerprint + (comment.isEmpty() ? "" : " " + comment);
    }
}
