package dev.lifeline.supervisor.alert;

/**
 * Fits a text into a few SMS segments. GSM-7 carries 160 characters alone or 153 per part; anything outside it
 * (an emoji, a Cyrillic name) switches the whole message to UCS-2: 70, or 67 per part. Each part costs money and
 * long chains arrive out of order, so the text is cut at a word.
 */
final class SmsText {
    static final int MAX_SEGMENTS = 3;
    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENDED = "^{}\\[~]|€\f";

    private SmsText() {
    }

    static String fit(String text) {
        return fit(text, MAX_SEGMENTS);
    }

    static String fit(String text, int segments) {
        boolean gsm = isGsm7(text);
        int max = segments == 1 ? (gsm ? 160 : 70) : (gsm ? 153 : 67) * segments;
        if (units(text, gsm) <= (gsm ? 160 : 70) || units(text, gsm) <= max) {
            return text;
        }
        // "…" is not in GSM-7 and would turn the whole message into UCS-2, halving what fits.
        String ellipsis = gsm ? "..." : "…";
        int budget = max - units(ellipsis, gsm);
        int end = 0;
        int used = 0;
        while (end < text.length()) {
            int cost = units(text.substring(end, end + 1), gsm);
            if (used + cost > budget) {
                break;
            }
            used += cost;
            end++;
        }
        int space = text.lastIndexOf(' ', end);
        int cut = space > budget / 2 ? space : end;
        if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut).stripTrailing() + ellipsis;
    }

    static boolean isGsm7(String text) {
        return text.chars().allMatch(c -> GSM_BASIC.indexOf(c) >= 0 || GSM_EXTENDED.indexOf(c) >= 0);
    }

    /** Septets for GSM-7 (extension characters take an escape septet too), UTF-16 code units for UCS-2. */
    static int units(String text, boolean gsm) {
        if (!gsm) {
            return text.length();
        }
        return text.length() + (int) text.chars().filter(c -> GSM_EXTENDED.indexOf(c) >= 0).count();
    }
}
