package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.supervisor.testing.TestConfigs;

class CheckConfigCommandTest {
    private static final String HOST_KEY = TestKeys.ed25519("bastion").publicLine().replace(" bastion", "");
    private static final String DO_SECTION = "provider: digitalocean\n  digitalocean:\n    dropletId: 123456\n    tokenFile: TOKEN";

    @TempDir
    Path dir;
    private Path key;
    private Path token;

    @BeforeEach
    void writeKeyAndToken() throws Exception {
        key = dir.resolve("tunnel1");
        TestConfigs.privateKey(key, "t1");
        token = dir.resolve("do-token");
        TestConfigs.privateFile(token, "dop_v1_0123456789abcdef\n");
    }

    private String valid() {
        return ("# a config with every part check-config looks into\n" + TestConfigs.TUNNEL_ONLY + """
                links:
                  primary:
                    bind: 192.168.1.50
                    probes:
                      - dns://192.168.100.1/example.com
                      - tcp://1.1.1.1:443
                      - https://www.debian.org/
                    interval: 5s
                    egressIsp: https://speed.cloudflare.com/meta
                  backup:
                    bind: 192.168.1.51
                    expectIsp: Starlink
                    ispLookup: https://speed.cloudflare.com/meta
                    speedUrls:
                      - https://speed.cloudflare.com/__down?bytes=25000000
                    latencyProbes:
                      - dns://100.64.0.1/example.com
                stateDir: %s
                """).formatted(HOST_KEY, key, dir.resolve("state"));
    }

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("lifeline.yaml");
        Files.writeString(f, yaml.replace("TOKEN", token.toString()));
        return f;
    }

    private static int lineOf(String yaml, String needle) {
        List<String> lines = yaml.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line holds " + needle);
    }

    @Test
    void threeIndependentMistakesAreAllReportedInOnePassEachWithItsLine() throws Exception {
        String yaml = """
                bastion:
                  provider: aws
                  host: 203.0.113.10
                  port: 47022
                  hostKey: "[203.0.113.10]:47022 %s"
                  mode: sometimes
                  aws:
                    region: eu-central-1
                tunnels:
                  - name: primary
                    user: tunnel1
                    key: %s
                    remote: 127.0.0.1:29000
                    local: 127.0.0.1:8080
                links:
                  primary:
                    probes: ["dns://192.168.100.1/example.com", "tcp://one.one.one.one:443"]
                """.formatted(HOST_KEY, key);
        Path f = write(yaml);

        CliRun run = CliRun.of("check-config", f.toString());

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        List<String> problems = run.err().lines().toList();
        assertThat(problems).as("%s", run).hasSize(3).allSatisfy(p -> assertThat(p).startsWith(f + " line "));
        assertThat(problems.get(0)).contains("line " + lineOf(yaml, "mode: sometimes") + ": bastion.mode: mode must be on-outage or always-on");
        assertThat(problems.get(1)).as("a missing key points at its section").contains("line " + lineOf(yaml, "  aws:") + ": bastion.aws.instanceId")
                .contains("instanceId stack output");
        assertThat(problems.get(2)).as("the probe parsed at load, not only matched by its form")
                .contains("line " + lineOf(yaml, "tcp://one") + ": links.primary.probes[1]: probe 'tcp://one.one.one.one:443': the host must be an IP address")
                .contains("write tcp://1.1.1.1:443");
    }

    @Test
    void whatOnlyThisMachineCanTellIsListedWithTheFilesOwnMistakes() throws Exception {
        String yaml = valid().replace("provider: local", DO_SECTION).replace("interval: 5s", "interval: 5s\n    lcoal: x");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r-----"));
        Files.writeString(key, "not a key at all\n");
        Path f = write(yaml);
        String text = Files.readString(f);

        CliRun run = CliRun.of("check-config", f.toString());

        assertThat(run.exitCode()).as("%s", run).isEqualTo(Lifeline.BAD_INPUT);
        List<String> problems = run.err().lines().toList();
        assertThat(problems).as("%s", run).hasSize(3);
        assertThat(problems.get(0)).as("a group-readable secret file, at load")
                .contains("line " + lineOf(text, "tokenFile:") + ": bastion.digitalocean.tokenFile: tokenFile " + token + " is readable by others")
                .contains("chmod 600 " + token);
        assertThat(problems.get(1)).as("a key that does not parse, found by this machine's check in the same pass")
                .contains("line " + lineOf(text, "key: ") + ": tunnels[0].key: key " + key + " holds no private key");
        assertThat(problems.get(2)).contains("line " + lineOf(text, "lcoal: x") + ": links.primary.lcoal: unknown key");
    }

    @Test
    void aConfigThatWouldStartIsValid() throws Exception {
        Path f = write(valid());

        CliRun run = CliRun.of("check-config", f.toString());

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out()).isEqualTo(f + ": valid\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void theShippedExampleIsValidOnceItsKeysExist() throws Exception {
        String example = Files.readString(Path.of("lifeline.example.yaml"))
                .replace("/etc/lifeline/keys/tunnel1", key.toString()).replace("/etc/lifeline/keys/tunnel2", key.toString());

        CliRun run = CliRun.of("check-config", write(example).toString());

        assertThat(run.exitCode()).as("%s", run).isZero();
    }

    @Test
    void theExamplesHeartbeatUncommentedIsValid() throws Exception {
        String example = Files.readString(Path.of("lifeline.example.yaml"))
                .replace("/etc/lifeline/keys/tunnel1", key.toString()).replace("/etc/lifeline/keys/tunnel2", key.toString());
        String withHeartbeat = example.replaceAll("(?m)^# (heartbeat:)", "$1").replaceAll("(?m)^# (  (url|every|timeout|format): )", "$1");
        assertThat(withHeartbeat).contains("\nheartbeat:\n  url: https://hc-ping.com/").contains("\n  format: healthchecks");

        CliRun run = CliRun.of("check-config", write(withHeartbeat).toString());

        assertThat(run.exitCode()).as("%s", run).isZero();
        CliRun wrong = CliRun.of("check-config", write(withHeartbeat.replace("url: https://hc-ping.com/", "url: http://hc-ping.com/")).toString());
        assertThat(wrong.exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(wrong.err()).contains("heartbeat.url: url must be https://");
    }

    /** (what is wrong, text replaced, replacement, the key path named, a piece of the fix, the line it must name). */
    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("misspelt key", "    local: 127.0.0.1:8080", "    local: 127.0.0.1:8080\n    lcoal: x",
                        "tunnels[0].lcoal", "known here: bind, key, local", "lcoal: x"),
                Arguments.of("port out of range", "port: 47022", "port: 0", "bastion.port", "1..65535", "port: 0"),
                Arguments.of("host key not a key", "hostKey: \"[203.0.113.10]:47022 ", "hostKey: \"[203.0.113.10]:47022 ssh-ed25519 nonsense ",
                        "bastion.hostKey", "hostKey", "hostKey:"),
                Arguments.of("duration without unit", "interval: 5s", "interval: five", "links.primary.interval", "5s", "interval: five"),
                Arguments.of("tunnel key file missing", "key: KEYFILE", "key: /nonexistent/tunnel9", "tunnels[0].key", "does not exist", "key: /nonexistent"),
                Arguments.of("tunnel key not a private key", "key: KEYFILE", "key: KEYFILE", "tunnels[0].key", "ssh-keygen -t ed25519 -N ''", "key: "),
                Arguments.of("DNS probe names its resolver", "dns://192.168.100.1/example.com", "dns://resolver.isp.example/example.com",
                        "links.primary.probes[0]", "must be an IP address", "dns://resolver.isp.example"),
                Arguments.of("TCP probe to a name", "tcp://1.1.1.1:443", "tcp://one.one.one.one:443",
                        "links.primary.probes[1]", "write tcp://1.1.1.1:443", "tcp://one.one.one.one:443"),
                Arguments.of("HTTP probe with an unknown setting", "https://www.debian.org/", "https://www.debian.org/#expect=200",
                        "links.primary.probes[2]", "status=NNN", "#expect=200"),
                Arguments.of("egress ISP lookup with a bad field", "egressIsp: https://speed.cloudflare.com/meta", "egressIsp: https://ipinfo.io/json#org",
                        "links.primary.egressIsp", "name=", "egressIsp: https://ipinfo.io"),
                Arguments.of("ISP lookup resolver by name", "ispLookup: https://speed.cloudflare.com/meta", "ispLookup: dns-asn://resolver.example",
                        "links.backup.ispLookup", "must be an IP address", "ispLookup: dns-asn"),
                Arguments.of("latency probe without a name", "dns://100.64.0.1/example.com", "dns://100.64.0.1",
                        "links.backup.latencyProbes[0]", "exactly one name to look up", "dns://100.64.0.1"),
                Arguments.of("DigitalOcean token file missing", "provider: local", DO_SECTION.replace("TOKEN", "/nonexistent/do-token"),
                        "bastion.digitalocean.tokenFile", "chmod 600", "tokenFile: /nonexistent"),
                Arguments.of("DigitalOcean token readable by all", "provider: local", DO_SECTION + "\n", "bastion.digitalocean.tokenFile",
                        "chmod 600", "tokenFile:"),
                Arguments.of("state dir is a file", "stateDir: STATEDIR", "stateDir: KEYFILE", "stateDir", "is not a directory", "stateDir:"),
                Arguments.of("bind names no interface of this machine", "bind: 192.168.1.51", "bind: wwan9", "links.backup.bind",
                        "neither an IP address nor a network interface of this machine", "bind: wwan9"),
                Arguments.of("AWS credentials file holds no key", "provider: local", "provider: aws\n  aws:\n    region: eu-central-1\n"
                        + "    instanceId: i-0123456789abcdef0\n    credentialsFile: TOKEN", "bastion.aws.credentialsFile",
                        "is not an AWS credentials file (IllegalArgumentException); write it again: pulumi stack output --json --show-secrets", "credentialsFile:"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void aBrokenConfigNamesTheLineTheKeyAndTheFix(String what, String from, String to, String keyPath, String fix, String lineNeedle) throws Exception {
        String yaml = valid().replace("key: " + key, "key: KEYFILE").replace("stateDir: " + dir.resolve("state"), "stateDir: STATEDIR");
        assertThat(yaml).as("the case's text must be in the config").contains(from);
        yaml = yaml.replace(from, to).replace("KEYFILE", key.toString()).replace("STATEDIR", dir.resolve("state").toString());
        if (what.equals("tunnel key not a private key")) {
            Files.writeString(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nnot really\n-----END OPENSSH PRIVATE KEY-----\n");
        }
        if (what.equals("DigitalOcean token readable by all")) {
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Path f = write(yaml);

        CliRun run = CliRun.of("check-config", f.toString());

        assertThat(run.exitCode()).as("%s", run).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(run.out()).doesNotContain("valid");
        assertThat(run.err()).as(what).contains(f + " line " + lineOf(yaml.replace("TOKEN", token.toString()), lineNeedle) + ": " + keyPath)
                .contains(fix);
    }

    @Test
    void everyProblemTheAuditFindsIsPrintedNotOnlyTheFirst() throws Exception {
        String yaml = valid().replace("tcp://1.1.1.1:443", "tcp://one.one.one.one:443")
                .replace("dns://100.64.0.1/example.com", "dns://isp.example/example.com");
        Path f = write(yaml);
        Files.writeString(key, "not a key at all\n");

        CliRun run = CliRun.of("check-config", f.toString());

        assertThat(run.exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(run.err().lines()).hasSize(3).anySatisfy(l -> assertThat(l).contains("line 10: tunnels[0].key"))
                .anySatisfy(l -> assertThat(l).contains("line " + lineOf(yaml, "tcp://one") + ": links.primary.probes[1]"))
                .anySatisfy(l -> assertThat(l).contains("line " + lineOf(yaml, "dns://isp.example") + ": links.backup.latencyProbes[0]"));
    }

    @Test
    void aKeyFileNeverHasItsContentPrinted() throws Exception {
        Path f = write(valid());
        Files.writeString(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nU0VDUkVULUtFWS1CWVRFUw==\n-----END OPENSSH PRIVATE KEY-----\n");

        CliRun run = CliRun.of("check-config", f.toString());

        assertThat(run.exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(run.err()).contains("tunnels[0].key").doesNotContain("U0VDUkVU");
    }

    @Test
    void aMissingFileIsBadInput() {
        CliRun run = CliRun.of("check-config", dir.resolve("nope.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(run.err()).contains("nope.yaml: cannot be read");
    }
}
