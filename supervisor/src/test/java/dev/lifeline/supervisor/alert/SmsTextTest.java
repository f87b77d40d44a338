package dev.lifeline.supervisor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmsTextTest {
    @Test
    void aShortTextIsLeftAlone() {
        assertThat(SmsText.fit("lifeline: primary line DOWN")).isEqualTo("lifeline: primary line DOWN");
    }

    @Test
    void oneUmlautOutsideGsm7SwitchesToUcs2AndItsSmallerSegments() {
        String text = "lifeline: Störung " + "ы".repeat(300);

        String fitted = SmsText.fit(text);

        assertThat(SmsText.isGsm7(text)).isFalse();
        assertThat(fitted).hasSizeLessThanOrEqualTo(3 * 67).endsWith("…");
    }

    @Test
    void germanUmlautsStayInGsm7() {
        assertThat(SmsText.isGsm7("Störung: Übertragung gestört, ÄÖÜäöüß")).isTrue();
    }

    @Test
    void extensionCharactersCountTwice() {
        assertThat(SmsText.units("[x]€", true)).isEqualTo(7);
    }

    @Test
    void oneSegmentMeans160Gsm7Characters() {
        String text = "word ".repeat(40);

        String fitted = SmsText.fit(text, 1);

        assertThat(SmsText.units(fitted, true)).isLessThanOrEqualTo(160);
        assertThat(fitted).endsWith("word...");
    }
}
