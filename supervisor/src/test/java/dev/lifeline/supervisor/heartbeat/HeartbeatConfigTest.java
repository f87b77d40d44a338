package dev.lifeline.supervisor.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.templates.testing.TestKeys;

class HeartbeatConfigTest {
    private static final String HOST_KEY = TestKeys.ed25519("bastion").publicLine().replace(" bastion", "");
    private static final String UUID = "5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278";

    @TempDir
    Path dir;
    private Path key;

    @BeforeEach
    void writeKey() {
        key = TestConfigs.privateKey(dir.resolve("tunnel1"), "t1");
    }

    /** Lines 1–11 are the bastion and one tunnel; heartbeat: is line 12, its keys 13 on. */
    private Path config(String heartbeat) throws Exception {
        Path f = dir.resolve("lifeline.yaml");
        Files.writeString(f, TestConfigs.TUNNEL_ONLY.formatted(HOST_KEY, key) + "heartbeat:\n" + heartbeat);
        return f;
    }

    @Test
    void aHealthchecksUrlAloneTakesTheDefaults() throws Exception {
        HeartbeatSection h = ConfigLoader.load(config("  url: https://hc-ping.com/" + UUID + "\n")).heartbeat();

        assertThat(h.url()).hasToString("https://hc-ping.com/" + UUID);
        assertThat(h.every()).isEqualTo(Duration.ofSeconds(60));
        assertThat(h.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(h.format()).isEqualTo(HeartbeatSection.Format.HEALTHCHECKS);
        assertThat(h.host()).isEqualTo("hc-ping.com");
    }

    @Test
    void anUptimeKumaPushUrlAsItsPageShowsIt() throws Exception {
        HeartbeatSection h = ConfigLoader.load(config("""
                  url: "https://kuma.example.net/api/push/Ab12Cd34Ef?status=up&msg=OK&ping="
                  format: uptime-kuma
                  every: 30s
                """)).heartbeat();

        assertThat(h.format()).isEqualTo(HeartbeatSection.Format.UPTIME_KUMA);
        assertThat(h.every()).isEqualTo(Duration.ofSeconds(30));
        assertThat(h.timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aShortPeriodBoundsTheDefaultTimeout() throws Exception {
        HeartbeatSection h = ConfigLoader.load(config("  url: http://127.0.0.1:8080/ping/" + UUID + "\n  every: 2s\n")).heartbeat();

        assertThat(h.timeout()).as("one ping never outlasts the period").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void noHeartbeatSectionIsNoHeartbeat() throws Exception {
        Path f = dir.resolve("plain.yaml");
        Files.writeString(f, TestConfigs.TUNNEL_ONLY.formatted(HOST_KEY, key));

        assertThat(ConfigLoader.load(f).heartbeat()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "plain http to the internet | url: http://hc-ping.com/UUID         | line 13: heartbeat.url: url must be https:// | only a loopback address",
        "not a URL                  | url: hc-ping.com/UUID                | line 13: heartbeat.url: url must be a URL such as https://hc-ping.com/ | (got hc-ping.com/",
        "user and password          | url: https://me:pw@hc-ping.com/UUID  | line 13: heartbeat.url: url must not carry user:password | as it is",
        "every too short            | every: 500ms                         | line 14: heartbeat.every: every must be between 1s and 1d | (got 500ms)",
        "every too long             | every: 2d                            | line 14: heartbeat.every: every must be between 1s and 1d | (got 172800s)",
        "every not a duration       | every: often                         | line 14: heartbeat.every: | write a number and a unit",
        "timeout longer than every  | timeout: 2m                          | line 14: heartbeat.timeout: timeout must be more than 0 and at most every (60s) | (got 120s)",
        "unknown format             | format: statuscake                   | line 14: heartbeat.format: format must be healthchecks or uptime-kuma | (got statuscake)",
        "unknown key                | evry: 30s                            | line 14: heartbeat.evry: unknown key | known here: every, format, timeout, url"})
    void aWrongValueNamesItsKeyLineAndFix(String what, String line, String problem, String fix) throws Exception {
        String body = line.startsWith("url:") ? "  " + line.replace("UUID", UUID) + "\n" : "  url: https://hc-ping.com/" + UUID + "\n  " + line + "\n";
        Path f = config(body);

        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(f + " " + problem).hasMessageContaining(fix);
    }

    @Test
    void aKumaFormatWithAHealthchecksUrlSaysWhichUrlItWants() throws Exception {
        Path f = config("  url: https://hc-ping.com/" + UUID + "\n  format: uptime-kuma\n");

        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("heartbeat.url: format uptime-kuma needs the push monitor's URL, https://<your-kuma>/api/push/<token>");
    }

    @Test
    void itsProblemsAreCollectedWithTheOthers() throws Exception {
        Path f = dir.resolve("lifeline.yaml");
        Files.writeString(f, TestConfigs.TUNNEL_ONLY.formatted(HOST_KEY, key).replace("port: 47022", "port: 0")
                + "heartbeat:\n  url: https://hc-ping.com/" + UUID + "\n  every: 0s\n");

        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 4: bastion.port:")
                .hasMessageContaining("line 14: heartbeat.every: every must be between 1s and 1d");
    }
}
