package dev.lifeline.supervisor.status;

import java.time.Instant;
import java.util.Map;

/**
 * The alert outbox as the status page shows it: how many alerts wait, and how each channel last fared. Holds no
 * alert text and no recipient (phone numbers and addresses are personal data).
 *
 * @param lastByChannel channel name ({@code twilio}, {@code email}, …) → its last delivery attempt
 */
public record OutboxView(int pending, Map<String, ChannelResult> lastByChannel, long writeFailures) {
    public static final OutboxView EMPTY = new OutboxView(0, Map.of(), 0);

    public OutboxView(int pending, Map<String, ChannelResult> lastByChannel) {
        this(pending, lastByChannel, 0);
    }

    public OutboxView {
        if (pending < 0) {
            throw new IllegalArgumentException("pending must be ≥ 0 (got " + pending + ")");
        }
        lastByChannel = Map.copyOf(lastByChannel);
    }

    /** The outbox's own status, without alert texts: per channel, whichever of its last success or failure is newer. */
    public static OutboxView of(dev.lifeline.supervisor.alert.OutboxStatus s) {
        Map<String, ChannelResult> last = new java.util.LinkedHashMap<>();
        for (var c : s.channels()) {
            boolean delivered = c.lastSuccess() != null && (c.lastFailure() == null || !c.lastSuccess().isBefore(c.lastFailure()));
            if (delivered) {
                last.put(c.name(), new ChannelResult(c.lastSuccess(), true, "delivered"));
            } else if (c.lastFailure() != null) {
                last.put(c.name(), new ChannelResult(c.lastFailure(), false,
                        c.lastFailureReason() == null ? "failed" : Redaction.recipients(c.lastFailureReason())));
            }
        }
        return new OutboxView(s.pending(), last, s.writeFailures());
    }

    /** @param detail a short reason such as "HTTP 503"; never a token or a recipient */
    public record ChannelResult(Instant at, boolean delivered, String detail) {
    }
}
