package dev.lifeline.templates.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BastionNameTest {
    // The rules as their sources state them (see BastionName), checked independently of its own pattern.
    private static final Pattern RFC1123_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DO_FIREWALL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");
    private static final Pattern DO_TAG = Pattern.compile("[A-Za-z0-9:_-]{1,255}");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "prod, lifeline-prod",
            "prod_eu, lifeline-prod-eu",
            "Prod.EU, lifeline-prod-eu",
            "a__b..c, lifeline-a-b-c",
            "_edge_, lifeline-edge",
            "___, lifeline"})
    void stackNamesBecomeOneLowerCaseHostLabel(String stack, String expected) {
        assertThat(BastionName.forStack(stack).value()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod_eu", "Prod.EU-2", "x", "a-very-long-stack-name-that-goes-on.and_on_and_on-past-every-limit-there-is-1",
            "9", "dev.", "-lead"})
    void everyNameIsTakenByEveryPlaceItGoes(String stack) {
        String name = BastionName.forStack(stack).value();

        assertThat(name).matches(RFC1123_LABEL).matches(DO_FIREWALL_NAME).matches(DO_TAG);
        assertThat(name.length()).isLessThanOrEqualTo(63);
    }

    @Test
    void longStackNamesThatShareTheirStartStillGetTwoNames() {
        String common = "a-very-long-stack-name-that-goes-on-and-on-past-every-";
        String a = BastionName.forStack(common + "limit-1").value();
        String b = BastionName.forStack(common + "limit-2").value();

        assertThat(a).hasSize(63).startsWith("lifeline-a-very-long").isNotEqualTo(b);
        assertThat(b).hasSize(63);
    }
}
