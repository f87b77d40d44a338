package dev.lifeline.supervisor.alert;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.settings.Endpoints;
import dev.lifeline.supervisor.settings.SecretFile;

/**
 * {@code alerts.twilio}: SMS through Twilio's Messages API, one message per number in {@code to}.
 *
 * @param from     an E.164 number (+14155550100) or a messaging service SID (MG…)
 * @param endpoint replaces https://api.twilio.com (scheme, host and port only); null: Twilio itself. For tests.
 */
public record TwilioSection(String accountSid, Path authTokenFile, String from, List<String> to, URI endpoint) {
    private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");
    private static final Pattern SERVICE_SID = Pattern.compile("MG[0-9a-fA-F]{32}");
    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    @JsonCreator
    static TwilioSection read(@JsonProperty("accountSid") String accountSid, @JsonProperty("authTokenFile") String authTokenFile,
                              @JsonProperty("from") String from, @JsonProperty("to") List<String> to,
                              @JsonProperty("endpoint") String endpoint) {
        return new TwilioSection(accountSid, SecretFile.checked("authTokenFile", authTokenFile), from, to,
                Endpoints.optional("endpoint", endpoint, "http://127.0.0.1:8080"));
    }

    public TwilioSection {
        if (accountSid == null || !ACCOUNT_SID.matcher(accountSid).matches()) {
            throw new ConfigValueException("accountSid", "accountSid must be AC followed by 32 hex digits, 34 characters, as the Twilio console shows it (got "
                    + (accountSid == null ? "nothing" : accountSid.length() + " characters") + ")");
        }
        if (authTokenFile == null) {
            throw new ConfigValueException("authTokenFile", "authTokenFile is missing; put the Twilio auth token in a file (chmod 600) and give its path");
        }
        if (from == null || !E164.matcher(from).matches() && !SERVICE_SID.matcher(from).matches()) {
            throw new ConfigValueException("from", "from must be a Twilio number in E.164 form, e.g. +14155550100, or a messaging service SID MG… (got " + from + ")");
        }
        if (to == null || to.isEmpty()) {
            throw new ConfigValueException("to", "to lists no number; give at least one, e.g. [\"+14155550111\"]");
        }
        to = List.copyOf(to);
        for (String n : to) {
            if (n == null || !E164.matcher(n).matches()) {
                throw new ConfigValueException("to", "to: " + n + " is not a phone number in E.164 form, e.g. +4915112345678 (country code, no spaces)");
            }
        }
        if (endpoint != null && endpoint.getPath() != null && !endpoint.getPath().isEmpty() && !endpoint.getPath().equals("/")) {
            // The SDK builds its own paths (/2010-04-01/…); the endpoint only redirects where the connection goes.
            throw new ConfigValueException("endpoint", "endpoint must be scheme://host:port without a path; it stands in for https://api.twilio.com (got " + endpoint + ")");
        }
    }

    /** A messaging service picks its own sender; Twilio wants it in its own field. */
    public boolean fromIsMessagingService() {
        return from.startsWith("MG");
    }
}
