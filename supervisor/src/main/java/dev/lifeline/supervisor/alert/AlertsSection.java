package dev.lifeline.supervisor.alert;

import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import dev.lifeline.supervisor.settings.ConfigValueException;

/**
 * {@code alerts:}: the channels a person hears lifeline on, and how the outbox uses them.
 *
 * @param twilio        null: no SMS (likewise for email, telegram, webhook; at least one is configured)
 * @param order         channel names, first tried first; default: the order the sections are written in
 * @param fallbackAfter the next channel in {@code order} is tried when the one before has not delivered in this time
 * @param repeatAfter   an unresolved condition is sent again after this long
 * @param ratePerHour   at most this many messages per channel and hour
 * @param zone          the admin's time zone, for times in message texts
 */
@JsonDeserialize(using = AlertsSectionReader.class)
public record AlertsSection(TwilioSection twilio, EmailSection email, TelegramSection telegram, WebhookSection webhook,
                            List<String> order, Duration fallbackAfter, Duration repeatAfter, int ratePerHour, ZoneId zone) {
    public static final List<String> CHANNELS = List.of("twilio", "email", "telegram", "webhook");
    public static final Duration DEFAULT_FALLBACK_AFTER = Duration.ofMinutes(10);
    public static final Duration DEFAULT_REPEAT_AFTER = Duration.ofHours(6);
    public static final int DEFAULT_RATE_PER_HOUR = 10;

    public AlertsSection {
        if (twilio == null && email == null && telegram == null && webhook == null) {
            throw new ConfigValueException(null, "alerts configures no channel; add twilio, email, telegram or webhook (or remove alerts:)");
        }
        order = List.copyOf(order == null ? configured(twilio, email, telegram, webhook) : order);
        Set<String> seen = new HashSet<>();
        for (String name : order) {
            if (!CHANNELS.contains(name)) {
                throw new ConfigValueException("order", "order: " + name + " is not a channel; channels are " + String.join(", ", CHANNELS));
            }
            if (!seen.add(name)) {
                throw new ConfigValueException("order", "order names " + name + " twice");
            }
            if (!configured(twilio, email, telegram, webhook).contains(name)) {
                throw new ConfigValueException("order", "order names " + name + " but alerts has no " + name + ": section");
            }
        }
        for (String name : configured(twilio, email, telegram, webhook)) {
            if (!seen.contains(name)) {
                throw new ConfigValueException("order", "order leaves out " + name + ", which is configured; list it or remove its section");
            }
        }
        fallbackAfter = fallbackAfter == null ? DEFAULT_FALLBACK_AFTER : fallbackAfter;
        repeatAfter = repeatAfter == null ? DEFAULT_REPEAT_AFTER : repeatAfter;
        if (fallbackAfter.isZero()) {
            throw new ConfigValueException("fallbackAfter", "fallbackAfter must be more than 0, e.g. 10m");
        }
        if (repeatAfter.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new ConfigValueException("repeatAfter", "repeatAfter must be at least 1m, e.g. 6h");
        }
        if (ratePerHour < 1 || ratePerHour > 3600) {
            throw new ConfigValueException("ratePerHour", "ratePerHour must be 1..3600 messages per channel and hour (got " + ratePerHour + ")");
        }
        zone = zone == null ? ZoneId.systemDefault() : zone;
    }

    private static List<String> configured(Object twilio, Object email, Object telegram, Object webhook) {
        List<String> names = new java.util.ArrayList<>();
        Object[] sections = {twilio, email, telegram, webhook};
        for (int i = 0; i < sections.length; i++) {
            if (sections[i] != null) {
                names.add(CHANNELS.get(i));
            }
        }
        return names;
    }
}
