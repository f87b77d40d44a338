package dev.lifeline.supervisor.status;

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

/** The {@code status:} section as the loader reads it from a file. */
class StatusSectionTest {
    @TempDir
    Path dir;
    private Path key;

    @BeforeEach
    void writeKey() throws Exception {
        key = dir.resolve("tunnel1");
        TestConfigs.privateKey(key, "t1");
    }

    private Path config(String status) throws Exception {
        String hostKey = TestKeys.ed25519("bastion").publicLine().replace(" bastion", "");
        Path f = dir.resolve("lifeline.yaml");
        Files.writeString(f, """
                bastion:
                  provider: local
                  host: 203.0.113.10
                  port: 47022
                  hostKey: "[203.0.113.10]:47022 %s"
                tunnels:
                  - { name: primary, user: tunnel1, key: %s, remote: "127.0.0.1:29000", local: "127.0.0.1:8080" }
                %s""".formatted(hostKey, key, status));
        return f;
    }

    @Test
    void leftOutTheStatusPageListensOnLoopbackWithTheNanoPrice() throws Exception {
        StatusSection s = ConfigLoader.load(config("")).status();

        assertThat(StatusSection.describe(s.listen())).isEqualTo("127.0.0.1:9309");
        assertThat(s.tokenFile()).isNull();
        assertThat(s.sampleEvery()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.pricePerHour()).isEqualTo(0.0084);
    }

    @Test
    void anyAddressWithATokenFileReads() throws Exception {
        Path token = dir.resolve("status-token");
        TestConfigs.privateFile(token, "0123456789abcdef0123456789abcdef\n");
        StatusSection s = ConfigLoader.load(config("""
                status: { listen: "0.0.0.0:9400", tokenFile: %s, sampleEvery: 30s, pricePerHour: 0.0042, monthlyFixed: 3.6 }
                """.formatted(token))).status();

        assertThat(StatusSection.describe(s.listen())).isEqualTo("0.0.0.0:9400");
        assertThat(s.tokenFile()).isEqualTo(token);
        assertThat(s.monthlyFixed()).isEqualTo(3.6);
    }

    @Test
    void theSiteIsThisMachinesHostNameUnlessSet() throws Exception {
        String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();

        assertThat(ConfigLoader.load(config("")).status().site()).isEqualTo(hostname);
        assertThat(ConfigLoader.load(config("status: { site: office-berlin }\n")).status().site()).isEqualTo("office-berlin");
        assertThat(ConfigLoader.load(config("status: { site: \"Zürich 2. OG\" }\n")).status().site())
                .as("any Unicode a label value may hold").isEqualTo("Zürich 2. OG");
    }

    @Test
    void aSiteLongerThanALegendCanShowIsRefused() throws Exception {
        Path file = config("status: { site: " + "a".repeat(StatusSection.MAX_SITE_LENGTH + 1) + " }\n");

        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("status.site: site is longer than 63 characters");
        assertThat(ConfigLoader.load(config("status: { site: " + "a".repeat(StatusSection.MAX_SITE_LENGTH) + " }\n")).status().site())
                .hasSize(StatusSection.MAX_SITE_LENGTH);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "status: { listen: \"0.0.0.0:9309\" }          | line 8: status.tokenFile: listen 0.0.0.0:9309 is not a loopback address, so a tokenFile is required",
            "status: { listen: \"[::]:9309\" }             | status.tokenFile: listen [0:0:0:0:0:0:0:0]:9309 is not a loopback address",
            "status: { listen: \"pi.local:9309\" }         | status.listen: listen must be IP:PORT, e.g. 127.0.0.1:9309",
            "status: { listen: \"127.0.0.1:70000\" }       | status.listen: listen port must be 1–65535 (got 70000)",
            "status: { sampleEvery: 100ms }               | status.sampleEvery: sampleEvery must be at least 1s",
            "status: { pricePerHour: -1 }                 | status.pricePerHour: pricePerHour must be a price in USD ≥ 0",
            "status: { site: \"\" }                        | status.site: site must not be empty: Prometheus treats an empty label value as no label",
            "status: { site: \" home\" }                   | status.site: site \" home\" has spaces at its start or end; write a short name",
            "status: { site: \"home\\nofficial\" }           | status.site: site contains a control character",
            "status: { site: \"home\\u0007\" }             | status.site: site contains a control character",
            "status: { port: 9309 }                       | status.port: unknown key; known here: listen, monthlyFixed, pricePerHour, sampleEvery, site, tokenFile",
    })
    void aBrokenStatusSectionNamesTheKeyAndTheFix(String yaml, String message) throws Exception {
        Path file = config(yaml.strip() + "\n");

        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }
}
