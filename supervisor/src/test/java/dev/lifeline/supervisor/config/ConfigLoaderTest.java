package dev.lifeline.supervisor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.lifeline.supervisor.cloud.BastionMode;
import dev.lifeline.supervisor.probe.IspLookupTarget;
import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.supervisor.tunnel.TunnelConfig;
import dev.lifeline.templates.testing.TestKeys;

class ConfigLoaderTest {
    private static final String HOST_KEY = TestKeys.ed25519("bastion").publicLine().replace(" bastion", "");

    @TempDir
    Path dir;
    private Path key;

    @BeforeEach
    void writeKey() throws Exception {
        key = dir.resolve("tunnel1");
        TestConfigs.privateKey(key, "t1");
    }

    private String valid() {
        return (TestConfigs.TUNNEL_ONLY + """
                ssh:
                  keepaliveInterval: 5s
                  backoffMax: 1m
                """).formatted(HOST_KEY, key);
    }

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("lifeline.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void aValidConfigReadsWithDefaultsForWhatIsLeftOut() throws Exception {
        SupervisorConfig c = ConfigLoader.load(write(valid()));

        assertThat(c.bastion().mode()).isEqualTo(BastionMode.ON_OUTAGE);
        assertThat(c.bastion().hostKey().keyText()).isEqualTo(HOST_KEY);
        assertThat(c.tunnels().get(0).remotePort()).isEqualTo(29000);
        assertThat(c.tunnels().get(0).local()).isEqualTo("127.0.0.1:8080");
        assertThat(c.tunnelSettings().backoffMax()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.tunnelSettings().keepaliveMaxMisses()).isEqualTo(5);
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("unknown key", "    local: 127.0.0.1:8080\n", "    local: 127.0.0.1:8080\n    lcoal: x\n",
                        "line 12: tunnels[0].lcoal: unknown key; known here: bind, key, local, name, remote, service, user"),
                Arguments.of("remote on all addresses", "remote: 127.0.0.1:29000", "remote: 0.0.0.0:29000",
                        "line 10: tunnels[0].remote: remote must listen on 127.0.0.1"),
                Arguments.of("remote as localhost", "remote: 127.0.0.1:29000", "remote: localhost:29000",
                        "remote must listen on 127.0.0.1"),
                Arguments.of("bad duration", "keepaliveInterval: 5s", "keepaliveInterval: five",
                        "line 13: ssh.keepaliveInterval: 'five' is not a duration"),
                Arguments.of("one keepalive miss", "keepaliveInterval: 5s", "keepaliveInterval: 5s\n  keepaliveMaxMisses: 1",
                        "line 14: ssh.keepaliveMaxMisses: keepaliveMaxMisses must be 2..20"),
                Arguments.of("no host key", "  hostKey:", "  hostkey:", "bastion.hostKey: hostKey is missing"),
                Arguments.of("garbage host key", "\"[203.0.113.10]:47022 ", "\"[203.0.113.10]:47022 x",
                        "line 5: bastion.hostKey: hostKey is not an OpenSSH public key"),
                Arguments.of("port zero", "port: 47022", "port: 0", "line 4: bastion.port: port must be"),
                Arguments.of("bad provider", "provider: local", "provider: azure", "line 2: bastion.provider: provider must be aws, digitalocean or local (got azure)"),
                Arguments.of("local without port", "local: 127.0.0.1:8080", "local: 127.0.0.1", "local must be HOST:PORT"),
                Arguments.of("missing key file", "key: ", "key: /nonexistent", "does not exist"));
    }

    /** The tunnels config plus a cloud, lines and policy (bastion lines first, so the tunnel lines keep their numbers + 4). */
    private String withLinks() {
        return valid().replace("  provider: local\n", """
                  provider: aws
                  mode: on-outage
                  aws:
                    region: eu-central-1
                    instanceId: i-0123456789abcdef0
                """) + """
                links:
                  primary:
                    probes: ["dns://192.168.1.1/example.com", "tcp://1.1.1.1:443", "https://example.com/"]
                    interval: 5s
                    timeout: 2s
                    down: 3
                    up: 6
                  backup:
                    bind: 192.168.1.51
                    expectIsp: AS14593
                    minDownload: 10Mbit
                    maxLatency: 150ms
                    every: 1h
                    dataBudget: 50MB/day
                policy:
                  recoveryHold: 10m
                  minOn: 15m
                stateDir: /var/lib/lifeline
                """;
    }

    @Test
    void linksPolicyAndCloudReadWithTheirDefaults() throws Exception {
        SupervisorConfig c = ConfigLoader.load(write(withLinks()));

        assertThat(c.bastion().aws().instanceId()).isEqualTo("i-0123456789abcdef0");
        assertThat(c.links().primary().probes()).extracting(t -> t.getClass().getSimpleName()).as("each target parsed once, by its kind")
                .containsExactly("Dns", "Tcp", "Http");
        assertThat(c.links().primary().reliability()).isEqualTo(1);
        assertThat(c.links().primary().detectionBound()).isEqualTo(Duration.ofSeconds(17));
        assertThat(c.links().backup().minDownloadBitsPerSecond()).isEqualTo(10_000_000L);
        assertThat(c.links().backup().dataBudgetBytesPerDay()).isEqualTo(50_000_000L);
        assertThat(c.links().backup().maxBytesPerCheck()).isEqualTo(5_000_000L);
        assertThat(c.links().backup().ispLookup()).isInstanceOfSatisfying(IspLookupTarget.Http.class,
                h -> assertThat(h.url()).isEqualTo("https://speed.cloudflare.com/meta"));
        assertThat(c.policy().recoveryHold()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/lifeline"));
    }

    static Stream<Arguments> brokenLinks() {
        return Stream.of(
                Arguments.of("unknown mode", "mode: on-outage", "mode: sometimes", "line 3: bastion.mode: mode must be on-outage or always-on"),
                Arguments.of("aws without instance id", "    instanceId: i-0123456789abcdef0\n", "",
                        "bastion.aws.instanceId: instanceId must be the bastion's EC2 instance id"),
                Arguments.of("aws without a section", "  aws:\n    region: eu-central-1\n    instanceId: i-0123456789abcdef0\n", "",
                        "bastion.aws: provider aws needs an aws: section"),
                Arguments.of("bad region", "region: eu-central-1", "region: europe", "line 5: bastion.aws.region: region must be an AWS region"),
                Arguments.of("negative duration", "interval: 5s", "interval: -5s", "line 22: links.primary.interval: '-5s' is not a duration"),
                Arguments.of("timeout over interval", "timeout: 2s", "timeout: 9s", "line 23: links.primary.timeout: timeout must be more than 0 and at most the interval"),
                Arguments.of("down zero", "down: 3", "down: 0", "line 24: links.primary.down: down must be ≥ 1"),
                Arguments.of("icmp probe", "\"tcp://1.1.1.1:443\"", "\"icmp://8.8.8.8\"", "line 21: links.primary.probes[1]: probe 'icmp://8.8.8.8' has no known scheme; write one of dns://"),
                Arguments.of("reliability over probes", "    up: 6\n", "    up: 6\n    reliability: 4\n", "links.primary.reliability: reliability must be 1..3"),
                Arguments.of("rate without unit", "minDownload: 10Mbit", "minDownload: 10", "line 29: links.backup.minDownload: minDownload '10' is not a rate"),
                Arguments.of("budget without a day", "dataBudget: 50MB/day", "dataBudget: 50MB", "links.backup.dataBudget: dataBudget must be a size per day"),
                Arguments.of("check too often", "every: 1h", "every: 10s", "line 31: links.backup.every: every must be at least 1m"),
                Arguments.of("no expected isp", "    expectIsp: AS14593\n", "", "links.backup.expectIsp: expectIsp is missing"),
                Arguments.of("unknown policy key", "minOn: 15m", "minOn: 15m\n  holdDown: 1m", "line 36: policy.holdDown: unknown key; known here: minOn, recoveryHold"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenLinks")
    void aBrokenLinksPolicyOrCloudSectionNamesTheLineTheKeyAndTheFix(String name, String from, String to, String message) throws Exception {
        assertThat(withLinks()).contains(from);
        Path file = write(withLinks().replace(from, to));

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void aBrokenConfigNamesTheLineTheKeyAndTheFix(String name, String from, String to, String message) throws Exception {
        String yaml = valid().replace(from, to).replace("key: /nonexistent" + key, "key: /nonexistent");
        Path file = write(yaml);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(message);
    }

    @Test
    void theExampleConfigIsValid() throws Exception {
        Path key2 = dir.resolve("tunnel2");
        Files.copy(key, key2);
        Files.setPosixFilePermissions(key2, PosixFilePermissions.fromString("rw-------"));
        String example = Files.readString(Path.of("lifeline.example.yaml"))
                .replace("/etc/lifeline/keys/tunnel1", key.toString()).replace("/etc/lifeline/keys/tunnel2", key2.toString());

        SupervisorConfig c = ConfigLoader.load(write(example));

        assertThat(c.tunnels()).extracting(TunnelConfig::name).containsExactly("primary", "secondary");
        assertThat(c.tunnels().get(0).bind()).isEqualTo("192.168.1.51");
        assertThat(c.tunnelSettings()).isEqualTo(dev.lifeline.supervisor.tunnel.TunnelSettings.DEFAULTS);
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedAsOpenSshWould() throws Exception {
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        Path file = write(valid());

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 9: tunnels[0].key: key " + key + " is readable by others (rw-r-----)")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void anAwsCredentialsFileThatIsMissingOrOpenIsRefusedNamingItsLineAndWhereAGoodOneComesFrom() throws Exception {
        Path credentials = dir.resolve("aws-credentials");
        String aws = valid().replace("  provider: local\n", """
                  provider: aws
                  aws:
                    region: eu-central-1
                    instanceId: i-0123456789abcdef0
                    credentialsFile: %s
                """.formatted(credentials));
        Path file = write(aws);

        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 6: bastion.aws.credentialsFile: credentialsFile " + credentials + " does not exist")
                .hasMessageContaining("pulumi stack output --json --show-secrets | sudo lifeline import");
        Files.writeString(credentials, "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n");
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("is readable by others (rw-r--r--)").hasMessageContaining("chmod 600")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("AKIAIOSFODNN7EXAMPLE"));
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
        assertThat(ConfigLoader.load(file).bastion().aws().credentialsFile()).isEqualTo(credentials);
    }

    @Test
    void theKeyMaterialNeverAppearsInAnError() throws Exception {
        String pem = Files.readString(key);
        Path file = write(valid().replace("remote: 127.0.0.1:29000", "remote: nope"));

        assertThatThrownBy(() -> ConfigLoader.load(file)).satisfies(e -> assertThat(e.getMessage()).doesNotContain(pem.substring(40, 80)));
    }
}
