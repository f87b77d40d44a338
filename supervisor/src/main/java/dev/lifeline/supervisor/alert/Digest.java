package dev.lifeline.supervisor.alert;

import java.util.ArrayList;
import java.util.List;

/**
 * Many NORMAL alerts as one message, for when they pile up beyond a channel's rate. Only whole alerts go in: what
 * does not fit under the length cap stays pending for the next message, so folding never loses one.
 */
final class Digest {
    static final String PREFIX = "lifeline: ";

    private Digest() {
    }

    /** The longest prefix of {@code due} whose digest fits in {@code maxChars} (at least one alert). */
    static List<OutboxRecord> fitting(List<OutboxRecord> due, int maxChars) {
        List<OutboxRecord> in = new ArrayList<>();
        int length = header(due.size()).length();
        for (OutboxRecord r : due) {
            int more = body(r.alert()).length() + 2;
            if (!in.isEmpty() && length + more > maxChars) {
                break;
            }
            in.add(r);
            length += more;
        }
        return in;
    }

    static Alert of(List<OutboxRecord> batch) {
        StringBuilder text = new StringBuilder(header(batch.size()));
        for (int i = 0; i < batch.size(); i++) {
            text.append(i == 0 ? "" : "; ").append(body(batch.get(i).alert()));
        }
        Alert first = batch.get(0).alert();
        Alert last = batch.get(batch.size() - 1).alert();
        // derived from its content, so a resend after a crash carries the same id
        return new Alert("digest-" + first.id() + "-" + batch.size(), last.at(), Severity.NORMAL, "digest", text.toString());
    }

    private static String header(int count) {
        return PREFIX + count + " alerts: ";
    }

    private static String body(Alert a) {
        return a.text().startsWith(PREFIX) ? a.text().substring(PREFIX.length()) : a.text();
    }
}
