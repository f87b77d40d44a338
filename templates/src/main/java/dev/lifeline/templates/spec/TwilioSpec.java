package dev.lifeline.templates.spec;

import java.util.List;

/** Where login alerts go: Twilio's Messages API, one SMS per recipient. */
public record TwilioSpec(String accountSid, Secret authToken, String from, List<String> to) {
    public TwilioSpec {
        to = List.copyOf(to);
    }

    /** A messaging service (MG…) is named in its own form field; a phone number goes in From. */
    public String fromField() {
        return from.startsWith("MG") ? "MessagingServiceSid" : "From";
    }
}
