package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.Tools;

/**
 * The real jar, with every logger lowered to trace the way someone chasing a problem would, sends a Twilio alert to a
 * local stand-in for Twilio's API (issue 15, part 7): the HTTP client's header and wire logging is pinned in
 * simplelogger.properties, so the credentials reach the server and never the log.
 */
class SecretsStayOutOfDebugLogsIT {
    private static final String SID = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "fedcba9876543210fedcba9876543210";

    @TempDir
    Path dir;

    private static Tools.Result testAlert(Path config, String... jvmFlags) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-jar", SupervisorProcess.jar().toString(), "test-alert", "--config", config.toString()));
        return Tools.run(120, command);
    }

    @Test
    void aTwilioAlertAtTraceLevelLogsNoAuthorizationHeader() throws Exception {
        ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();
        HttpServer twilio = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        twilio.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"sid\":\"SM1\",\"status\":\"queued\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        twilio.start();
        try {
            Path token = TestConfigs.privateFile(dir.resolve("twilio-token"), TOKEN + "\n");
            Path key = TestConfigs.privateKey(dir.resolve("tunnel1"), "t1");
            Path config = Files.writeString(dir.resolve("lifeline.yaml"), """
                    bastion:
                      provider: local
                      host: 127.0.0.1
                      port: 47022
                      hostKey: "[127.0.0.1]:47022 %s"
                    tunnels:
                      - name: primary
                        user: tunnel1
                        key: %s
                        remote: 127.0.0.1:29000
                        local: 127.0.0.1:8080
                    alerts:
                      twilio:
                        accountSid: %s
                        authTokenFile: %s
                        from: "+14155550100"
                        to: ["+4915112345678"]
                        endpoint: "http://127.0.0.1:%d"
                    """.formatted(TestKeys.ed25519("bastion").publicLine().replace(" bastion", ""), key, SID, token,
                    twilio.getAddress().getPort()));
            String basic = Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.US_ASCII));

            Tools.Result run = testAlert(config, "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace");

            assertThat(authorizations).as("the alert reached the stand-in, credentials and all: %s", run).contains("Basic " + basic);
            assertThat(run.output()).contains("twilio").contains("accepted")
                    .doesNotContainIgnoringCase("Authorization").doesNotContain(TOKEN).doesNotContain(basic.substring(0, 40));

            // the same run with the pin lifted by hand: the client does print the header, so the pin is what keeps it out
            Tools.Result unpinned = testAlert(config, "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                    "-Dorg.slf4j.simpleLogger.log.org.apache.hc.client5.http=debug");
            assertThat(unpinned.output()).contains("Authorization: Basic " + basic.substring(0, 40));
        } finally {
            twilio.stop(0);
        }
    }
}
