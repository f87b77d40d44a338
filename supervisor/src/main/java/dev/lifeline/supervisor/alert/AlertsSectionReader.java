package dev.lifeline.supervisor.alert;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;

import dev.lifeline.supervisor.settings.ConfigValueException;

/**
 * Reads {@code alerts:} in two steps because the default channel order is the order the sections are written in,
 * which a creator never sees: first the tree (it keeps key order), then the fields from the tree. Errors keep their
 * key path (Jackson prepends {@code alerts}), so the loader still points at the line.
 */
final class AlertsSectionReader extends JsonDeserializer<AlertsSection> {

    @Override
    public AlertsSection deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode tree = p.readValueAsTree();
        List<String> written = new ArrayList<>();
        tree.fieldNames().forEachRemaining(name -> {
            if (AlertsSection.CHANNELS.contains(name)) {
                written.add(name);
            }
        });
        Written w = ctxt.readTreeAsValue(tree, Written.class);
        return new AlertsSection(w.twilio, w.email, w.telegram, w.webhook, w.order == null ? written : w.order,
                w.fallbackAfter, w.repeatAfter, w.ratePerHour == null ? AlertsSection.DEFAULT_RATE_PER_HOUR : w.ratePerHour, w.zone);
    }

    record Written(TwilioSection twilio, EmailSection email, TelegramSection telegram, WebhookSection webhook,
                   List<String> order, Duration fallbackAfter, Duration repeatAfter, Integer ratePerHour, ZoneId zone) {
        @JsonCreator
        static Written read(@JsonProperty("twilio") TwilioSection twilio, @JsonProperty("email") EmailSection email,
                            @JsonProperty("telegram") TelegramSection telegram, @JsonProperty("webhook") WebhookSection webhook,
                            @JsonProperty("order") List<String> order, @JsonProperty("fallbackAfter") Duration fallbackAfter,
                            @JsonProperty("repeatAfter") Duration repeatAfter, @JsonProperty("ratePerHour") Integer ratePerHour,
                            @JsonProperty("zone") String zone) {
            return new Written(twilio, email, telegram, webhook, order, fallbackAfter, repeatAfter, ratePerHour, zone(zone));
        }

        private static ZoneId zone(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return ZoneId.of(text.trim());
            } catch (DateTimeException e) {
                throw new ConfigValueException("zone", "zone must be a time zone such as Europe/Berlin or UTC (got " + text + ")");
            }
        }
    }
}
