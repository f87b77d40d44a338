package dev.lifeline.supervisor.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void aPathBecomesItsNameAndAUrlStaysWhole() {
        assertThat(Redaction.paths("cannot read key /etc/lifeline/keys/tunnel1 (AccessDenied)"))
                .isEqualTo("cannot read key tunnel1 (AccessDenied)");
        assertThat(Redaction.paths("speed from https://bastion.example/lifeline/speed: HTTP 503"))
                .isEqualTo("speed from https://bastion.example/lifeline/speed: HTTP 503");
        assertThat(Redaction.paths("/var/lib/lifeline/data-budget.json")).isEqualTo("data-budget.json");
    }

    @Test
    void aChannelsFailureNamesNoRecipientAndNoWebhookSecret() {
        String r = Redaction.recipients("webhook https://hooks.slack.com/services/T000/B000/XXXXSECRET answered 404; "
                + "SMS to +49 151 1234567 refused (21211); mail to admin@example.com: 550");

        assertThat(r).doesNotContain("XXXXSECRET").doesNotContain("1234567").doesNotContain("admin@")
                .contains("https://hooks.slack.com/…").contains("+…").contains("…@example.com").contains("404").contains("21211");
    }
}
