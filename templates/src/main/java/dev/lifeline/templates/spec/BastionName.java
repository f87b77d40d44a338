package dev.lifeline.templates.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The bastion's one name wherever a cloud or a host shows it: the hostname cloud-init sets, the droplet's
 * name (DigitalOcean makes it the hostname too), the cloud firewall's name, the stack tag and EC2's Name tag.
 * <p>
 * Pulumi stack names may hold upper case, '_' and '.', which none of these all take:
 * <ul>
 * <li>a host name label (RFC 1123 §2.1, RFC 952): letters, digits and '-', not first or last, at most 63;</li>
 * <li>a DigitalOcean firewall name (docs.digitalocean.com/reference/api/api-reference/#tag/Firewalls, "name":
 *     "must begin with an alphanumeric character. Subsequent characters must either be alphanumeric
 *     characters, a period (.), or a dash (-)") — {@code lifeline-prod_eu} is refused with 422;</li>
 * <li>a DigitalOcean tag (same reference, #tag/Tags: letters, numbers, colons, dashes and underscores, at
 *     most 255);</li>
 * <li>an EC2 tag value (AWS tagging restrictions: letters, numbers, spaces and {@code _ . : / = + - @}, at
 *     most 256).</li>
 * </ul>
 * Their common ground is a lower-case RFC 1123 label, so every name is made here, once, as one. A name
 * that had to be cut to 63 ends in six hex digits of the stack name's SHA-256, so two long stack names that
 * share their first 50 characters still get two names.
 */
public record BastionName(String value) {
    public static final int MAX_LENGTH = 63;
    static final String PREFIX = "lifeline";
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern NOT_ALNUM = Pattern.compile("[^a-z0-9]+");
    private static final int HASH_HEX = 6;

    public BastionName {
        if (!LABEL.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a host name label (RFC 1123)");
        }
    }

    /** lifeline-&lt;stack&gt;: lower case, every run of other characters one '-', cut to 63. */
    public static BastionName forStack(String stackName) {
        String stack = NOT_ALNUM.matcher(stackName.toLowerCase(Locale.ROOT)).replaceAll("-").replaceAll("^-+|-+$", "");
        String name = stack.isEmpty() ? PREFIX : PREFIX + "-" + stack;
        if (name.length() > MAX_LENGTH) {
            String head = name.substring(0, MAX_LENGTH - HASH_HEX - 1).replaceAll("-+$", "");
            name = head + "-" + sha256Hex(stackName).substring(0, HASH_HEX);
        }
        return new BastionName(name);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
