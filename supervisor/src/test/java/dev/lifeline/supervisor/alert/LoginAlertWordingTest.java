package dev.lifeline.supervisor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.render.BastionLayout;
import dev.lifeline.templates.render.RenderedFile;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.testing.TestStacks;

/** The bastion's login SMS is built in shell; it must read exactly as {@link AlertTexts#login} says. */
class LoginAlertWordingTest {
    private final String script = BastionFiles.render(BastionSpecReader.read(TestStacks.validAws()), BastionLayout.onVm()).stream()
            .filter(f -> f.path().equals(BastionFiles.LOGIN_ALERT)).map(RenderedFile::content).findFirst().orElseThrow();

    private String assignment(String variable) {
        Matcher m = Pattern.compile("(?m)^" + variable + "=(.+)$").matcher(script);
        assertThat(m.find()).as("the rendered login alert assigns %s", variable).isTrue();
        return m.group(1);
    }

    @Test
    void theScriptsSmsBodyIsAlertTextsLoginWithTheShellsVariables() {
        assertThat(assignment("body")).isEqualTo("\"" + AlertTexts.login("$user", "$rhost", "$host", "$when") + "\"");
        assertThat(assignment("user")).isEqualTo("\"${PAM_USER:-unknown}\"");
        assertThat(assignment("rhost")).isEqualTo("\"${PAM_RHOST:-unknown}\"");
    }

    @Test
    void theScriptsTimestampIsFormattedAsAlertTextsFormatsIt() throws Exception {
        Matcher m = Pattern.compile("^\\$\\(date -u '(\\+[^']+)'\\)$").matcher(assignment("when"));
        assertThat(m.matches()).as("when is set by date -u '+FORMAT'").isTrue();
        Instant at = Instant.parse("2025-01-31T21:04:59Z");

        Process date = new ProcessBuilder(List.of("date", "-u", "-d", "@" + at.getEpochSecond(), m.group(1))).start();
        assertThat(date.waitFor(5, TimeUnit.SECONDS)).isTrue();
        String printed = new String(date.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();

        assertThat(printed).isEqualTo(AlertTexts.loginTime(at)).isEqualTo("2025-01-31 21:04 UTC");
    }

    @Test
    void subjectsAreTheFirstLinePrefixedOnceAndShort() {
        assertThat(AlertTexts.subject(Channels.alert("lifeline: primary line DOWN\nmore"))).isEqualTo("lifeline: primary line DOWN");
        assertThat(AlertTexts.subject(Channels.alert("backup line slow"))).isEqualTo("lifeline: backup line slow");
        assertThat(AlertTexts.subject(Channels.alert("x".repeat(200)))).hasSize(78).endsWith("…");
    }
}
