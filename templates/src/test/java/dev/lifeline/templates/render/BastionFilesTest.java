package dev.lifeline.templates.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.TestStacks;

class BastionFilesTest {
    private final BastionSpec spec = BastionSpecReader.read(TestStacks.validAws());

    private Map<String, RenderedFile> files(BastionSpec s) {
        return BastionFiles.render(s, BastionLayout.onVm()).stream().collect(Collectors.toMap(RenderedFile::path, f -> f));
    }

    @Test
    void eachTunnelKeyIsBoundToItsOwnPortInAuthorizedKeysAndInSshd() {
        Map<String, RenderedFile> f = files(spec);

        assertThat(f.get("/etc/ssh/authorized_keys/tunnel1").content())
                .contains("restrict,port-forwarding,permitlisten=\"127.0.0.1:29000\",permitlisten=\"127.0.0.1:29001\",command=")
                .contains(spec.tunnels().get(0).publicKey().keyText());
        assertThat(f.get("/etc/ssh/sshd_config").content())
                .contains("Match User tunnel2\n    AllowTcpForwarding remote\n    PermitListen 127.0.0.1:39000 127.0.0.1:39001\n")
                .contains("PasswordAuthentication no").contains("PermitRootLogin no").contains("Port 47022")
                .doesNotContain("Port 22\n");
    }

    @Test
    void onlyWebTunnelsStandBehindNginxAndTheAdminReachesEveryTunnelsPortOnly() {
        BastionSpec withSsh = BastionSpecReader.read(TestStacks.validAws().json("tunnels", List.of(
                Map.of("name", "homessh", "port", 22022, "publicKey", TestKeys.ed25519("s").publicLine(), "service", "ssh"),
                Map.of("name", "tunnel1", "port", 29000, "publicKey", TestKeys.ed25519("a").publicLine()),
                Map.of("name", "tunnel2", "port", 39000, "publicKey", TestKeys.ed25519("b").publicLine()))));
        Map<String, RenderedFile> f = files(withSsh);

        String nginx = f.get(BastionFiles.NGINX_CONF).content();
        assertThat(nginx).contains("server 127.0.0.1:29000 max_fails=1 fail_timeout=5s;").contains("server 127.0.0.1:39000 backup;")
                .doesNotContain("22022").contains("proxy_next_upstream_tries 2;");
        String sshd = f.get(BastionFiles.SSHD_CONFIG).content();
        assertThat(sshd).contains("\nPermitOpen 127.0.0.1:22022 127.0.0.1:29000 127.0.0.1:39000\n")
                .contains("Match User homessh\n    AllowTcpForwarding remote\n    PermitListen 127.0.0.1:22022");
    }

    @Test
    void theTwilioTokenIsOnlyInTheRootOnlyEnvFile() {
        String token = spec.twilio().get().authToken().reveal();
        List<RenderedFile> withToken = BastionFiles.render(spec, BastionLayout.onVm()).stream()
                .filter(f -> f.content().contains(token)).toList();

        assertThat(withToken).extracting(RenderedFile::path).containsExactly(BastionFiles.LOGIN_ALERT_ENV);
        assertThat(withToken.get(0).mode()).isEqualTo("0600");
        assertThat(withToken.get(0).secret()).isTrue();
    }

    @Test
    void withoutAWebFrontThereIsNoNginx() {
        BastionSpec noWeb = BastionSpecReader.read(TestStacks.validAws().remove("web"));

        assertThat(files(noWeb)).doesNotContainKey(BastionFiles.NGINX_CONF);
        assertThat(CloudConfig.userData(noWeb)).doesNotContain("- nginx");
    }

    @Test
    void userDataInstallsTheHostKeyTheSupervisorPins() {
        String userData = CloudConfig.userData(spec);

        assertThat(userData).startsWith("#cloud-config\n")
                .contains("ed25519_public: " + spec.hostKey().publicKey().keyText())
                .contains("BEGIN OPENSSH PRIVATE KEY")
                .contains("@include lifeline-login-alert");
    }

    @Test
    void theFullUserDataFitsEc2OnlyGzipped() {
        BastionSpec everything = BastionSpecReader.read(TestStacks.validAws()
                .json("web", Map.of("domain", "home.example.com", "email", "admin@example.com"))
                .set("logTarget", "tcp://logs.example.com:514"));

        String gz = CloudConfig.userDataGzipBase64(everything);

        assertThat(CloudConfig.userData(everything).length()).as("why it is gzipped").isGreaterThan(CloudConfig.EC2_USER_DATA_LIMIT);
        // EC2: "User data is limited to 16 KB, in raw form, before it is base64-encoded" (Amazon EC2 User Guide,
        // "Work with instance user data", Considerations). 10 KiB keeps a third of it free for what comes next; it was
        // 8 KiB until the tunnel watchdog (script and sandboxed unit, ~1.1 KB gzipped) took the total to ~9.3 KB.
        assertThat(java.util.Base64.getDecoder().decode(gz).length).isLessThan(10 * 1024);
    }

    @Test
    void aMessagingServiceSenderGoesInItsOwnField() {
        BastionSpec viaService = BastionSpecReader.read(TestStacks.validAws().json("twilio", Map.of(
                "accountSid", "AC" + "0".repeat(32), "from", "MG" + "1".repeat(32), "to", List.of("+14155550111"))));

        assertThat(files(viaService).get(BastionFiles.LOGIN_ALERT_ENV).content()).contains("TWILIO_FROM_FIELD='MessagingServiceSid'");
        assertThat(files(spec).get(BastionFiles.LOGIN_ALERT_ENV).content()).contains("TWILIO_FROM_FIELD='From'");
    }

    @Test
    void theHomeWatchUnitRunsTheWatchWithTheStacksDelayAndEveryTunnelPort() {
        BastionSpec tenMinutes = BastionSpecReader.read(TestStacks.validAws().set("homeDarkAfter", "10m"));

        assertThat(files(tenMinutes).get(BastionFiles.HOME_WATCH_UNIT).content())
                .contains("\nExecStart=" + BastionFiles.HOME_WATCH + " 600 10 29000 39000\n")
                .contains("\nRestart=always\n").contains("\nAfter=ssh.service\n").contains("\nConflicts=shutdown.target\n")
                .contains("\nWantedBy=multi-user.target\n");
        assertThat(files(spec).get(BastionFiles.HOME_WATCH_UNIT).content()).contains(" 300 10 29000 39000\n");
        assertThat(files(spec).get(BastionFiles.HOME_WATCH).mode()).isEqualTo("0755");
        // The watch never reads the token: only the sender does.
        assertThat(files(spec).get(BastionFiles.HOME_WATCH).content()).doesNotContain("login-alert.env").contains(BastionFiles.SMS);
        assertThat(files(spec).get(BastionFiles.LOGIN_ALERT).content()).contains(BastionFiles.SMS).doesNotContain("curl");
    }

    @Test
    void cloudInitEnablesAndStartsTheHomeWatchWithOrWithoutTwilio() throws Exception {
        BastionSpec noTwilio = BastionSpecReader.read(TestStacks.validAws().remove("twilio").remove("twilioAuthToken"));
        for (BastionSpec s : List.of(spec, noTwilio)) {
            var runcmd = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readTree(CloudConfig.userData(s)).path("runcmd");
            List<String> commands = new java.util.ArrayList<>();
            runcmd.forEach(c -> {
                List<String> words = new java.util.ArrayList<>();
                c.forEach(w -> words.add(w.asText()));
                commands.add(String.join(" ", words));
            });
            assertThat(commands).containsSubsequence("systemctl daemon-reload", "systemctl enable --now lifeline-home-watch.service")
                    .containsSubsequence("systemctl daemon-reload", "systemctl enable --now lifeline-tunnel-watchdog.service");
            assertThat(files(s)).containsKeys(BastionFiles.HOME_WATCH, BastionFiles.HOME_WATCH_UNIT, BastionFiles.SMS,
                    BastionFiles.TUNNEL_WATCHDOG, BastionFiles.TUNNEL_WATCHDOG_UNIT);
        }
    }

    @Test
    void theTunnelWatchdogAsksEveryTunnelsHealthPortAndFreesAFrozenOnesWithinFiveSeconds() {
        String unit = files(spec).get(BastionFiles.TUNNEL_WATCHDOG_UNIT).content();
        java.util.regex.Matcher exec = java.util.regex.Pattern.compile("\nExecStart=" + BastionFiles.TUNNEL_WATCHDOG
                + " (\\d+) (\\d+) 29001 39001\n").matcher(unit);

        assertThat(exec.find()).as("ExecStart with quiet, tick and the health ports:\n" + unit).isTrue();
        // A frozen home answered last at most when it froze: its ports are free a quiet time later (the 5 s target
        // leaves a second for ss and the kill on a busy VM), and it is asked several times within that quiet time.
        assertThat(Integer.parseInt(exec.group(1))).isLessThanOrEqualTo(4000).isGreaterThanOrEqualTo(3 * Integer.parseInt(exec.group(2)));
        assertThat(unit).contains("\nRestart=always\n").contains("\nAfter=ssh.service\n")
                .contains("\nCapabilityBoundingSet=CAP_KILL CAP_SYS_PTRACE CAP_DAC_READ_SEARCH\n")
                .contains("\nWantedBy=multi-user.target\n").doesNotContain("{{").doesNotContain("}}").doesNotContain("Timing");
        assertThat(files(spec).get(BastionFiles.TUNNEL_WATCHDOG).mode()).isEqualTo("0755");
    }

    @Test
    void theStacksWatchdogQuietTimeReachesTheWatchdogsCommandLine() {
        BastionSpec calm = BastionSpecReader.read(TestStacks.validAws().set("tunnelWatchdogQuiet", "8s"));

        assertThat(files(calm).get(BastionFiles.TUNNEL_WATCHDOG_UNIT).content())
                .contains("\nExecStart=" + BastionFiles.TUNNEL_WATCHDOG + " 8000 500 29001 39001\n");
    }

    @Test
    void secretsDoNotLeakThroughToString() {
        assertThat(spec.toString()).doesNotContain(spec.twilio().get().authToken().reveal())
                .doesNotContain("PRIVATE KEY");
    }
}
