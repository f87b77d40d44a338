package dev.lifeline.templates.bastion;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.render.BastionLayout;
import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.testing.BastionRoot;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.TestStacks;
import dev.lifeline.templates.testing.Tools;

/**
 * The rendered home watch (lifeline-home-watch + lifeline-sms) run for real on loopback: the kernel's own listener
 * table (ss) decides whether a tunnel is up, and the SMS go to a Twilio stub. The watch gets the arguments of the
 * rendered unit's ExecStart, the stack's tunnel ports, with the two timings cut from 300 s / 10 s to 3 s / 1 s so a
 * run takes seconds; the stack keeps its honest minimum of a minute.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HomeWatchIT {
    private static final String SID = "AC" + "0123456789abcdef".repeat(2);
    private static final String TOKEN = "fedcba9876543210".repeat(2);
    private static final String MESSAGES = "/2010-04-01/Accounts/" + SID + "/Messages.json";
    private static final int DARK_AFTER_S = 3;
    private static final int EVERY_S = 1;
    /** Long enough for a few checks on a busy machine; waited in full only where the test shows nothing comes. */
    private static final Duration QUIET = Duration.ofSeconds(DARK_AFTER_S + 3);
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private final int port1 = FreePorts.next();
    private final int port2 = FreePorts.next();
    private final Map<Integer, ServerSocketChannel> tunnels = new HashMap<>();
    private final List<Process> watches = new ArrayList<>();
    private WireMockServer twilio;
    private BastionSpec spec;
    private BastionRoot root;
    private List<String> unitArguments;

    @BeforeAll
    void startTwilio() {
        Tools.which("ss");
        Tools.which("curl");
        twilio = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        twilio.start();
        twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/.*/Messages.json"))
                .willReturn(aResponse().withStatus(201).withBody("{\"sid\":\"SM1\"}")));
        spec = BastionSpecReader.read(TestStacks.validAws()
                .json("tunnels", List.of(
                        Map.of("name", "tunnel1", "port", port1, "publicKey", TestKeys.ed25519("t1@pi").publicLine()),
                        Map.of("name", "tunnel2", "port", port2, "publicKey", TestKeys.ed25519("t2@pi").publicLine())))
                .json("twilio", Map.of("accountSid", SID, "from", "+14155550100", "to", List.of("+14155550111")))
                .secret("twilioAuthToken", TOKEN)
                .remove("web"));
    }

    @AfterAll
    void stopTwilio() {
        if (twilio != null) {
            twilio.stop();
        }
    }

    @BeforeEach
    void renderTheBastion() throws IOException {
        twilio.resetRequests();
        root = BastionRoot.create();
        root.write(BastionFiles.render(spec, BastionLayout.onLoopback(root.root(), FreePorts.next(), FreePorts.next(),
                "http://127.0.0.1:" + twilio.port())));
        String unit = Files.readString(root.path(BastionFiles.HOME_WATCH_UNIT));
        var exec = Pattern.compile("(?m)^ExecStart=" + Pattern.quote(BastionFiles.HOME_WATCH) + " (.+)$").matcher(unit);
        assertThat(exec.find()).as("ExecStart of the rendered unit:\n%s", unit).isTrue();
        unitArguments = Arrays.asList(exec.group(1).split(" "));
        assertThat(unitArguments).as("the stack's default 5 min, a check every 10 s, both tunnel ports")
                .containsExactly("300", "10", String.valueOf(port1), String.valueOf(port2));
    }

    @AfterEach
    void stopEverything() {
        for (Process p : watches) {
            stopByPid(p);
        }
        watches.clear();
        for (ServerSocketChannel s : tunnels.values()) {
            closeListener(s);
        }
        tunnels.clear();
        if (root != null) {
            root.close();
        }
    }

    @Test
    void oneDarkSmsWhenEveryTunnelIsGoneThatLongAndOneBackSmsWhenATunnelReturns() throws Exception {
        open(port1);
        open(port2);
        Process watch = startWatch();

        assertThat(smsWithin(QUIET)).as("both tunnels up; the watch said:\n%s", output(watch)).isEmpty();
        close(port1);
        assertThat(smsWithin(QUIET)).as("one tunnel still up; the watch said:\n%s", output(watch)).isEmpty();

        close(port2);
        Instant dark = Instant.now();
        List<String> sms = awaitSms(1, watch);
        Duration took = Duration.between(dark, Instant.now());
        assertThat(took).as("the dark SMS waits out homeDarkAfter").isGreaterThanOrEqualTo(Duration.ofSeconds(DARK_AFTER_S - 1));
        twilio.verify(1, postRequestedFor(urlEqualTo(MESSAGES))
                .withBasicAuth(new BasicCredentials(SID, TOKEN))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withFormParam("To", equalTo("+14155550111"))
                .withFormParam("From", equalTo("+14155550100"))
                .withFormParam("Body", matching("lifeline: home dark at " + spec.name().value()
                        + ": no tunnel for \\d+ s since \\d\\d:\\d\\d UTC")));
        String since = sms.get(0).replaceAll(".* since (\\d\\d:\\d\\d) UTC$", "$1");
        assertThat(since).as("the time the last tunnel went").isIn(HH_MM.format(dark.minusSeconds(2)), HH_MM.format(dark.plusSeconds(5)));
        assertThat(smsWithin(QUIET)).as("still dark: no second SMS").hasSize(1);

        open(port2);
        sms = awaitSms(2, watch);
        assertThat(sms.get(1)).matches("lifeline: home back at " + spec.name().value() + " after \\d+ s \\(tunnel port " + port2 + "\\)");
        twilio.verify(2, postRequestedFor(urlEqualTo(MESSAGES)).withBasicAuth(new BasicCredentials(SID, TOKEN))
                .withFormParam("To", equalTo("+14155550111")));
        assertThat(smsWithin(QUIET)).as("back, and staying up: nothing more").hasSize(2);
    }

    @Test
    void aHomeDarkFromTheStartIsReportedCountingFromTheWatchsStart() throws Exception {
        Instant start = Instant.now();
        Process watch = startWatch();

        List<String> sms = awaitSms(1, watch);

        assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(DARK_AFTER_S - 1));
        assertThat(sms.get(0)).startsWith("lifeline: home dark at " + spec.name().value() + ": no tunnel for ");
    }

    @Test
    void aRestartedWatchKeepsItsStateInRunAndSendsNoSecondDarkSms() throws Exception {
        Process first = startWatch();
        awaitSms(1, first);
        stopByPid(first);

        Process second = startWatch();
        assertThat(smsWithin(QUIET)).as("the restarted watch knows the SMS went; it said:\n%s", output(second)).hasSize(1);
        open(port1);
        assertThat(awaitSms(2, second).get(1)).contains("home back at " + spec.name().value());
    }

    @Test
    void atMostSixSmsAnHourHoweverTheHomeFlaps() throws Exception {
        Process watch = startWatch();
        for (int cycle = 0; cycle < 3; cycle++) {
            awaitSms(2 * cycle + 1, watch);
            open(port1);
            awaitSms(2 * cycle + 2, watch);
            close(port1);
        }
        // The seventh would be dark again: the watch sees it (and says so), lifeline-sms holds it back.
        Instant until = Instant.now().plus(BOUND);
        while (countLines(output(watch), "home dark") < 4 && Instant.now().isBefore(until)) {
            Thread.sleep(200);
        }
        assertThat(countLines(output(watch), "home dark")).as("the watch said:\n%s", output(watch)).isEqualTo(4);
        assertThat(smsWithin(Duration.ofSeconds(3))).as("the seventh SMS within the hour").hasSize(6);
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** The rendered script, run as the unit runs it but with the test's short timings. */
    private Process startWatch() throws IOException {
        List<String> command = new ArrayList<>(List.of("/bin/bash", root.path(BastionFiles.HOME_WATCH).toString(),
                String.valueOf(DARK_AFTER_S), String.valueOf(EVERY_S)));
        command.addAll(unitArguments.subList(2, unitArguments.size()));
        Path log = root.path("/watch-" + watches.size() + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        watches.add(p);
        return p;
    }

    private String output(Process watch) {
        try {
            return Files.readString(root.path("/watch-" + watches.indexOf(watch) + ".log"));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static long countLines(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    /** The watch and whatever it runs at that moment (sleep, ss, curl), each by its PID. */
    private static void stopByPid(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * A listener where sshd opens the tunnel's -R port: an IPv4 socket on 127.0.0.1:port. (A plain Java ServerSocket
     * would be an IPv6 socket showing as [::ffff:127.0.0.1]:port, which sshd never opens for a tunnel.)
     */
    private void open(int port) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET);
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 50);
        tunnels.put(port, s);
    }

    private void close(int port) {
        closeListener(tunnels.remove(port));
    }

    private static void closeListener(ServerSocketChannel s) {
        try {
            s.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> bodies() {
        List<ServeEvent> events = new ArrayList<>(twilio.getAllServeEvents());
        events.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
        List<String> out = new ArrayList<>();
        for (ServeEvent e : events) {
            String form = e.getRequest().getBodyAsString();
            for (String field : form.split("&")) {
                if (field.startsWith("Body=")) {
                    out.add(java.net.URLDecoder.decode(field.substring(5), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private List<String> awaitSms(int n, Process watch) throws InterruptedException {
        Instant until = Instant.now().plus(BOUND);
        while (bodies().size() < n && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
        List<String> sms = bodies();
        assertThat(sms).as("SMS at the Twilio stub; the watch said:\n%s", output(watch)).hasSize(n);
        return sms;
    }

    /** Waits the whole bound, then reads: proving that nothing arrives needs the wait. */
    private List<String> smsWithin(Duration bound) throws InterruptedException {
        Thread.sleep(bound.toMillis());
        return bodies();
    }
}
