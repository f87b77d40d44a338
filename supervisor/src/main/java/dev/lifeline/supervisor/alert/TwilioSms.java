package dev.lifeline.supervisor.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;


/**
 * SMS through Twilio's Messages API, one message per number. A message to one number that Twilio accepted is not
 * sent again: if some numbers accept and others refuse, the alert counts as delivered (retrying would text the
 * ones who already have it) and the refusals are in the receipt and the log.
 */
final class TwilioSms implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioSms.class);
    private final TwilioSection config;
    private final TwilioRestClient client;
    /** Kept only to blank it out of whatever text comes back; never used in a message. */
    private final String authToken;

    TwilioSms(TwilioSection config, String authToken, Duration timeout) {
        this.config = config;
        this.authToken = authToken;
        // Our own client, not Twilio.init(): no global state, and the credentials live only inside it.
        this.client = new TwilioRestClient.Builder(config.accountSid(), authToken)
                .httpClient(TwilioHttp.create(config.endpoint(), timeout))
                .build();
    }

    @Override
    public String name() {
        return "twilio";
    }

    @Override
    public Delivery send(Alert alert) {
        String body = SmsText.fit(alert.text());
        List<String> sids = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        NotifierException last = null;
        for (String to : config.to()) {
            try {
                sids.add(creator(to, body).create(client).getSid());
            } catch (TwilioException e) {
                last = classify(to, e);
                refused.add(last.getMessage());
                LOG.warn("SMS for alert {} not sent: {}", alert.id(), last.getMessage());
            }
        }
        if (sids.isEmpty()) {
            throw refused.size() == 1 ? last : new NotifierException(String.join("; ", refused), last.permanent(), null);
        }
        String receipt = String.join(",", sids) + (refused.isEmpty() ? "" : "; " + String.join("; ", refused));
        return new Delivery(name(), alert.id(), receipt);
    }

    private MessageCreator creator(String to, String body) {
        return config.fromIsMessagingService()
                ? Message.creator(new PhoneNumber(to), config.from(), body)
                : Message.creator(new PhoneNumber(to), new PhoneNumber(config.from()), body);
    }

    /** Twilio's answer, sorted into "fix the config" and "try again later". */
    private NotifierException classify(String to, TwilioException e) {
        NotifierException sorted = sort(to, e);
        String text = sorted.getMessage();
        return text.contains(authToken) ? new NotifierException(text.replace(authToken, "***"), sorted.permanent(), null) : sorted;
    }

    private NotifierException sort(String to, TwilioException e) {
        if (e instanceof ApiException api && api.getStatusCode() != null) {
            int status = api.getStatusCode();
            String twilio = " (HTTP " + status + (api.getCode() == null ? "" : ", Twilio error " + api.getCode()) + ": " + api.getMessage() + ")";
            if (status == 401 || status == 403) {
                return new NotifierException("Twilio refused the credentials" + twilio + "; check accountSid and authTokenFile", true, null);
            }
            if (ChannelHttp.permanent(status)) {
                return new NotifierException("Twilio refused the SMS to " + to + twilio, true, null);
            }
            return new NotifierException("Twilio could not take the SMS to " + to + " now" + twilio + "; will retry", false, null);
        }
        // No HTTP status: the SDK never got an answer (refused, timed out, DNS), whatever exception type it chose.
        return new NotifierException("Twilio not reached for " + to + " (" + e.getMessage() + "); will retry", false, null);
    }
}
