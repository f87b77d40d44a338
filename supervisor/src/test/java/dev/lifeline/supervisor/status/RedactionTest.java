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
}
