package dev.lifeline.supervisor.settings;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes and rates as people write them: {@code 50MB}, {@code 512KiB} (bytes, decimal or binary units) and
 * {@code 10Mbit}, {@code 500kbit} (bits per second, decimal as ISPs sell them).
 */
public final class HumanSize {
    private static final Pattern BYTES = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|kB|KB|KiB|MB|MiB|GB|GiB)");
    private static final Pattern BITS = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(bit|kbit|Kbit|Mbit|Gbit)(?:/s|ps)?");
    private static final Map<String, Long> UNITS = Map.ofEntries(Map.entry("B", 1L), Map.entry("kB", 1_000L), Map.entry("KB", 1_000L),
            Map.entry("KiB", 1L << 10), Map.entry("MB", 1_000_000L), Map.entry("MiB", 1L << 20), Map.entry("GB", 1_000_000_000L),
            Map.entry("GiB", 1L << 30), Map.entry("bit", 1L), Map.entry("kbit", 1_000L), Map.entry("Kbit", 1_000L),
            Map.entry("Mbit", 1_000_000L), Map.entry("Gbit", 1_000_000_000L));

    private HumanSize() {
    }

    public static long bytes(String text) {
        return parse(BYTES, text, "a size; write a number and a unit: 500KB, 50MB, 1GB");
    }

    public static long bitsPerSecond(String text) {
        return parse(BITS, text, "a rate; write a number and a unit: 500kbit, 10Mbit, 1Gbit");
    }

    private static long parse(Pattern form, String text, String what) {
        Matcher m = form.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not " + what);
        }
        return Math.round(Double.parseDouble(m.group(1)) * UNITS.get(m.group(2)));
    }

    /** {@code 1234567} bit/s → {@code 1.2 Mbit/s}. */
    public static String rate(long bitsPerSecond) {
        if (bitsPerSecond >= 1_000_000) {
            return String.format(java.util.Locale.ROOT, "%.1f Mbit/s", bitsPerSecond / 1e6);
        }
        return String.format(java.util.Locale.ROOT, "%.0f kbit/s", bitsPerSecond / 1e3);
    }
}
