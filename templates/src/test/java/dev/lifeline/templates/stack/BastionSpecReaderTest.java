package dev.lifeline.templates.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.spec.Provider;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.TestStacks;

class BastionSpecReaderTest {
    private static final String KEY = TestKeys.ed25519("k").publicLine();

    @Test
    void aCompleteStackReadsWithItsDefaults() {
        BastionSpec spec = BastionSpecReader.read(TestStacks.validAws());

        assertThat(spec.provider()).isEqualTo(Provider.AWS);
        assertThat(spec.region()).isEqualTo("eu-central-1");
        assertThat(spec.size()).isEqualTo("t4g.nano");
        assertThat(spec.adminUser()).isEqualTo("admin");
        assertThat(spec.allowedUsers()).containsExactly("admin", "tunnel1", "tunnel2");
        assertThat(spec.sshAllowFrom()).extracting(Object::toString).containsExactly("0.0.0.0/0", "::/0");
        assertThat(spec.hostKey().publicLine()).startsWith("ssh-ed25519 AAAA");
        assertThat(spec.hostKey().knownHostsLine("203.0.113.9", 47022)).startsWith("[203.0.113.9]:47022 ssh-ed25519 AAAA");
        assertThat(spec.clientAliveInterval() * 2 * (spec.clientAliveCountMax() + 1)).isLessThanOrEqualTo(15);
    }

    @Test
    void aTunnelCarriesTheWebUnlessItSaysSshOrTcp() {
        BastionSpec spec = BastionSpecReader.read(TestStacks.validAws().json("tunnels", List.of(
                Map.of("name", "tunnel1", "port", 29000, "publicKey", TestKeys.ed25519("a").publicLine()),
                Map.of("name", "homessh", "port", 22022, "publicKey", TestKeys.ed25519("b").publicLine(), "service", "ssh"),
                Map.of("name", "kvm", "port", 28443, "publicKey", TestKeys.ed25519("c").publicLine(), "service", "tcp"))));

        assertThat(spec.tunnels()).extracting(t -> t.name() + "=" + t.service().word())
                .containsExactly("tunnel1=web", "homessh=ssh", "kvm=tcp");
    }

    @Test
    void aSupervisorRoleIsReadOnAwsAndAbsentByDefault() {
        assertThat(BastionSpecReader.read(TestStacks.validAws()).supervisorRole()).isEmpty();
        // IAM's RoleName characters: letters, digits and _+=,.@-
        assertThat(BastionSpecReader.read(TestStacks.validAws().set("supervisorRole", "lifeline_pi+home=1,a.b@c-d")).supervisorRole())
                .contains("lifeline_pi+home=1,a.b@c-d");
    }

    static Stream<Arguments> brokenStacks() {
        return Stream.of(
                broken("no provider", s -> s.remove("provider"), "lifeline:provider is not set"),
                broken("unknown provider", s -> s.set("provider", "gcp"), "lifeline:provider 'gcp' is not supported"),
                broken("ssh on 22", s -> s.set("sshPort", "22"), "lifeline:sshPort must not be 22"),
                broken("ssh on 2222", s -> s.set("sshPort", "2222"), "lifeline:sshPort must not be 2222"),
                broken("ssh port not a number", s -> s.set("sshPort", "ssh"), "lifeline:sshPort 'ssh' is not a TCP port"),
                broken("no ssh port", s -> s.remove("sshPort"), "lifeline:sshPort is not set"),
                broken("no admin key", s -> s.remove("adminKeys"), "lifeline:adminKeys is not set"),
                broken("admin key garbage", s -> s.json("adminKeys", List.of("ssh-ed25519 notbase64")),
                        "lifeline:adminKeys[0] is not an OpenSSH public key"),
                broken("private key as admin key", s -> s.json("adminKeys", List.of("-----BEGIN OPENSSH PRIVATE KEY-----")),
                        "lifeline:adminKeys[0] is a private key"),
                broken("duplicate tunnel port", s -> s.json("tunnels", List.of(
                        Map.of("name", "a", "port", 29000, "publicKey", TestKeys.ed25519("a").publicLine()),
                        Map.of("name", "b", "port", 29000, "publicKey", TestKeys.ed25519("b").publicLine()))),
                        "lifeline:tunnels[1].port 29000 is already a's port"),
                broken("tunnel port on another's health port", s -> s.json("tunnels", List.of(
                        Map.of("name", "a", "port", 29000, "publicKey", TestKeys.ed25519("a").publicLine()),
                        Map.of("name", "b", "port", 29001, "publicKey", TestKeys.ed25519("b").publicLine()))),
                        "lifeline:tunnels[1].port 29001 is already a's health port"),
                broken("health port on another tunnel's port", s -> s.json("tunnels", List.of(
                        Map.of("name", "a", "port", 29001, "publicKey", TestKeys.ed25519("a").publicLine()),
                        Map.of("name", "b", "port", 29000, "publicKey", TestKeys.ed25519("b").publicLine()))),
                        "lifeline:tunnels[1].port 29000 needs the next port 29001 for its health check, and that is already a's port"),
                broken("no room for the health port", s -> s.json("tunnels", List.of(
                        Map.of("name", "a", "port", 65535, "publicKey", KEY))), "lifeline:tunnels[0].port is 65535; the tunnel also needs"),
                broken("tunnel on the ssh port", s -> s.json("tunnels", List.of(
                        Map.of("name", "a", "port", 47022, "publicKey", KEY))), "lifeline:tunnels[0].port is the SSH port"),
                broken("health port on the ssh port", s -> s.json("tunnels", List.of(
                        Map.of("name", "a", "port", 47021, "publicKey", KEY))), "lifeline:tunnels[0].port 47021 needs the next port 47022 for its health check, and that is the SSH port"),
                broken("one key for two tunnels", s -> s.json("tunnels", List.of(
                        Map.of("name", "a", "port", 29000, "publicKey", KEY),
                        Map.of("name", "b", "port", 39000, "publicKey", KEY))), "lifeline:tunnels[1].publicKey is also used by tunnels[0]"),
                broken("tunnel name not a user", s -> s.json("tunnels", List.of(
                        Map.of("name", "Tunnel One", "port", 29000, "publicKey", KEY))), "lifeline:tunnels[0].name 'Tunnel One'"),
                broken("no tunnels", s -> s.remove("tunnels"), "lifeline:tunnels must list at least one tunnel"),
                broken("tunnel typo", s -> s.json("tunnels", List.of(
                        Map.of("name", "a", "prot", 29000, "publicKey", KEY))), "lifeline:tunnels[0].prot is not a tunnel setting"),
                broken("bad cidr", s -> s.json("knownGoodIps", List.of("my-office")), "lifeline:knownGoodIps[0] 'my-office' is not an IP"),
                broken("empty allow list", s -> s.json("sshAllowFrom", List.of()), "lifeline:sshAllowFrom is empty"),
                broken("allow list with host bits", s -> s.json("sshAllowFrom", List.of("198.51.100.7/24")),
                        "lifeline:sshAllowFrom[0] '198.51.100.7/24' has host bits set past /24, which the cloud firewalls refuse:"
                                + " did you mean 198.51.100.0/24"),
                broken("ipv6 allow list with host bits", s -> s.json("sshAllowFrom", List.of("2001:db8::7/32")),
                        "lifeline:sshAllowFrom[0] '2001:db8::7/32' has host bits set past /32, which the cloud firewalls refuse:"
                                + " did you mean 2001:db8::/32"),
                broken("token in plain text", s -> s.set("twilioAuthToken", "abc"), "lifeline:twilioAuthToken is stored in plain text"),
                broken("token inside twilio", s -> s.json("twilio", Map.of("accountSid", "AC" + "0".repeat(32), "from", "+14155550100",
                        "to", List.of("+14155550111"), "authToken", "x")), "lifeline:twilio.authToken must not be here in plain text"),
                broken("bad sid", s -> s.json("twilio", Map.of("accountSid", "123", "from", "+14155550100", "to", List.of("+1415555011"))),
                        "lifeline:twilio.accountSid '123' is not a Twilio account SID"),
                broken("bad phone", s -> s.json("twilio", Map.of("accountSid", "AC" + "0".repeat(32), "from", "+14155550100",
                        "to", List.of("0171 555"))), "lifeline:twilio.to[0] '0171 555' is not a phone number"),
                broken("domain without email", s -> s.json("web", Map.of("domain", "home.example.com")), "lifeline:web.email is missing"),
                broken("bad log target", s -> s.set("logTarget", "logs.example.com"), "lifeline:logTarget 'logs.example.com' is not a syslog target"),
                broken("host key missing", s -> s.remove("hostKey"), "lifeline:hostKey is not set; ssh-keygen -t ed25519"),
                broken("host key in plain text", s -> s.set("hostKey", TestKeys.ed25519("h").privatePem()), "lifeline:hostKey is stored in plain text"),
                broken("host key not a key", s -> s.secret("hostKey", "hunter2"), "lifeline:hostKey is not an OpenSSH private key"),
                broken("unknown key", s -> s.set("sshport", "47022"), "lifeline:sshport is not a lifeline setting"),
                broken("aws region on do", s -> s.set("provider", "digitalocean").set("region", "eu-central-1"),
                        "lifeline:region 'eu-central-1' is not a digitalocean region"),
                broken("reboot time", s -> s.set("autoRebootTime", "4am"), "lifeline:autoRebootTime '4am' is not a time of day"),
                broken("admin key with a second line", s -> s.json("adminKeys", List.of(KEY + "\n" + TestKeys.ed25519("x").publicLine())),
                        "lifeline:adminKeys[0] holds a line break"),
                broken("tunnel key with a second line", s -> s.json("tunnels", List.of(Map.of("name", "a", "port", 29000,
                        "publicKey", TestKeys.ed25519("a").publicLine() + "\nssh-ed25519 AAAA x"))), "lifeline:tunnels[0].publicKey holds a line break"),
                broken("key comment with a quote", s -> s.json("adminKeys", List.of(KEY + " \"evil")), "lifeline:adminKeys[0] has a comment"),
                broken("email with a command", s -> s.json("web", Map.of("domain", "home.example.com", "email", "a$(touch${IFS}/tmp/x)x@example.com")),
                        "lifeline:web.email"),
                broken("token not a token", s -> s.secret("twilioAuthToken", "abc'; rm -rf /"), "lifeline:twilioAuthToken is not a Twilio auth token"),
                broken("known-good everywhere", s -> s.json("knownGoodIps", List.of("0.0.0.0/0")), "lifeline:knownGoodIps[0] 0.0.0.0/0 is too wide"),
                broken("admin is a system account", s -> s.set("adminUser", "www-data"), "lifeline:adminUser 'www-data' is not usable"),
                broken("tunnel is a system account", s -> s.json("tunnels", List.of(Map.of("name", "nobody", "port", 29000, "publicKey", KEY))),
                        "lifeline:tunnels[0].name 'nobody' is a system account"),
                broken("tunnel service unknown", s -> s.json("tunnels", List.of(Map.of("name", "a", "port", 29000, "publicKey", KEY,
                        "service", "http"))), "lifeline:tunnels[0].service is 'http'; a tunnel carries one of web, ssh, tcp"),
                broken("web without a web tunnel", s -> s.json("web", Map.of()).json("tunnels", List.of(Map.of("name", "a",
                        "port", 29000, "publicKey", KEY, "service", "ssh"))), "lifeline:web is on but no tunnel carries the web service"),
                broken("slow dead-client check", s -> s.set("clientAliveInterval", "30"), "lifeline:clientAliveInterval × clientAliveCountMax"),
                broken("home dark after, no unit", s -> s.set("homeDarkAfter", "300"), "lifeline:homeDarkAfter '300' is not a duration; write a number and a unit (ms, s, m or h), e.g. 5m"),
                broken("home dark after, in words", s -> s.set("homeDarkAfter", "5 minutes"), "lifeline:homeDarkAfter '5 minutes' is not a duration"),
                broken("home dark after, a list", s -> s.json("homeDarkAfter", List.of("5m")), "lifeline:homeDarkAfter must be a single value"),
                broken("home dark within a reconnect", s -> s.set("homeDarkAfter", "59s"), "lifeline:homeDarkAfter '59s' is shorter than 1m"),
                broken("home dark after a day", s -> s.set("homeDarkAfter", "25h"), "lifeline:homeDarkAfter '25h' is longer than 24h"),
                broken("watchdog quiet, no unit", s -> s.set("tunnelWatchdogQuiet", "3500"),
                        "lifeline:tunnelWatchdogQuiet '3500' is not a duration; write a number and a unit (ms, s, m or h), e.g. 3500ms, 8s"),
                broken("watchdog quiet, a fraction", s -> s.set("tunnelWatchdogQuiet", "3.5s"), "lifeline:tunnelWatchdogQuiet '3.5s' is not a duration"),
                broken("watchdog quiet below one lost answer", s -> s.set("tunnelWatchdogQuiet", "1999ms"),
                        "lifeline:tunnelWatchdogQuiet '1999ms' is shorter than 2s"),
                broken("watchdog quiet beyond sshd's own", s -> s.set("tunnelWatchdogQuiet", "2m"),
                        "lifeline:tunnelWatchdogQuiet '2m' is longer than 60s"),
                broken("supervisor role as an ARN", s -> s.set("supervisorRole", "arn:aws:iam::123456789012:role/lifeline-pi"),
                        "lifeline:supervisorRole 'arn:aws:iam::123456789012:role/lifeline-pi' is not an IAM role name: give the name, not the ARN"),
                broken("supervisor role too long", s -> s.set("supervisorRole", "r".repeat(65)), "is not an IAM role name"),
                broken("supervisor role on digitalocean", s -> s.set("provider", "digitalocean").remove("image").set("region", "fra1")
                        .set("supervisorRole", "lifeline-pi"), "lifeline:supervisorRole is for AWS only"));
    }

    private static Arguments broken(String name, UnaryOperator<TestStacks> change, String message) {
        return Arguments.of(name, change, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenStacks")
    void aBrokenStackIsRefusedWithTheKeyAndTheFixNamed(String name, UnaryOperator<TestStacks> change, String message) {
        assertThatThrownBy(() -> BastionSpecReader.read(change.apply(TestStacks.validAws())))
                .isInstanceOf(StackConfigException.class)
                .hasMessageContaining(message)
                .hasMessageContaining("nothing was created");
    }

    @Test
    void homeDarkAfterIsFiveMinutesUnlessSetInSecondsMinutesOrHours() {
        assertThat(BastionSpecReader.read(TestStacks.validAws()).homeDarkAfter()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(BastionSpecReader.read(TestStacks.validAws().set("homeDarkAfter", "90s")).homeDarkAfter()).hasSeconds(90);
        assertThat(BastionSpecReader.read(TestStacks.validAws().set("homeDarkAfter", "1m")).homeDarkAfter()).hasSeconds(60);
        assertThat(BastionSpecReader.read(TestStacks.validAws().set("homeDarkAfter", " 24h ")).homeDarkAfter()).hasHours(24);
        // Without Twilio the value still counts: the watch then only logs (README, "what the bastion sends on its own").
        assertThat(BastionSpecReader.read(TestStacks.validAws().remove("twilio").remove("twilioAuthToken")
                .set("homeDarkAfter", "10m")).homeDarkAfter()).hasMinutes(10);
    }

    @Test
    void theTunnelWatchdogWaitsThreeAndAHalfSecondsUnlessSetInMillisecondsOrSeconds() {
        assertThat(BastionSpecReader.read(TestStacks.validAws()).tunnelWatchdogQuiet()).hasMillis(3500);
        assertThat(BastionSpecReader.read(TestStacks.validAws().set("tunnelWatchdogQuiet", "8s")).tunnelWatchdogQuiet()).hasSeconds(8);
        assertThat(BastionSpecReader.read(TestStacks.validAws().set("tunnelWatchdogQuiet", "2000ms")).tunnelWatchdogQuiet()).hasMillis(2000);
        assertThat(BastionSpecReader.read(TestStacks.validAws().set("tunnelWatchdogQuiet", " 1m ")).tunnelWatchdogQuiet()).hasSeconds(60);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        TestStacks s = TestStacks.validAws().set("sshPort", "22").remove("provider").set("logTarget", "x");

        assertThatThrownBy(() -> BastionSpecReader.read(s))
                .isInstanceOfSatisfying(StackConfigException.class, e -> assertThat(e.problems()).hasSize(3));
    }

    @Test
    void secretsNeverAppearInTheErrorMessage() {
        String token = "very-secret-token-value-1234567";
        TestStacks s = TestStacks.validAws().set("twilioAuthToken", token).secret("hostKey", "not-a-key-but-secret-material");

        assertThatThrownBy(() -> BastionSpecReader.read(s))
                .isInstanceOf(StackConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token).doesNotContain("secret-material"));
    }
}
