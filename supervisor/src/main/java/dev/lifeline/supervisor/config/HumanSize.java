package dev.lifeline.supervisor.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes and rates as people write them: {@code 50MB}, {@code 512KiB} (bytes, decimal or binary units) and
 * {@code 10Mbit}, {@code 500kbit} (bits per second, decimal as ISPs sell them).
 */
public final class HumanSize {
    private static final Pattern BYTES = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|kB|KB|KiB|MB|MiB|GB|GiB)");
    private static final Pattern BITS = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(bit|kbit|Kbit|Mbit|Gbit)(?:/s|ps)?");

    private HumanSize() {
    }

    public static long bytes(String text) {
        Matcher m = BYTES.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write a number and a unit: 500KB, 50MB, 1GB");
        }
        double n = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2)) {
            case "B" -> 1L;
            case "kB", "KB" -> 1_000L;
            case "KiB" -> 1L << 10;
            case "MB" -> 1_000_000L;
            case "MiB" -> 1L << 20;
            case "GB" -> 1_000_000_000L;
            default -> 1L << 30;
        };
        return Math.round(n * unit);
    }

    public static long bitsPerSecond(String text) {
        Matcher m = BITS.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a rate; write a number and a unit: 500kbit, 10Mbit, 1Gbit");
        }
        double n = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2)) {
            case "bit" -> 1L;
            case "kbit", "Kbit" -> 1_000L;
            case "Mbit" -> 1_000_000L;
            default -> 1_000_000_000L;
        };
        return Math.round(n * unit);
    }

    /** {@code 1234567} bit/s → {@code 1.2 Mbit/s}. */
    public static String rate(long bitsPerSecond) {
        if (bitsPerSecond >= 1_000_000) {
            return String.format(java.util.Locale.ROOT, "%.1f Mbit/s", bitsPerSecond / 1e6);
        }
        return String.format(java.util.Locale.ROOT, "%.0f kbit/s", bitsPerSecond / 1e3);
    }
}
