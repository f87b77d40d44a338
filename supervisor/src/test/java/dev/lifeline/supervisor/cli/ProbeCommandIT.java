package dev.lifeline.supervisor.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;

import picocli.CommandLine;

import dev.lifeline.supervisor.testing.RateLimitedHttpServer;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.supervisor.testing.TestConfigs;

/** {@code lifeline probe primary|backup} as an admin runs it, against real servers on loopback. */
class ProbeCommandIT {
    @TempDir
    Path dir;

    private WireMockServer isp;
    private ServerSocket open;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void start() throws Exception {
        isp = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        isp.start();
        isp.stubFor(get(urlEqualTo("/meta")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"asOrganization\":\"Starlink\",\"asn\":14593,\"clientIp\":\"198.18.0.77\"}")));
        open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        isp.stop();
        open.close();
    }

    private int lifeline(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return new CommandLine(new Lifeline()).setExitCodeExceptionMapper(e -> Lifeline.BAD_INPUT)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private Path config(String links) throws Exception {
        Path key = dir.resolve("tunnel1");
        TestConfigs.privateKey(key, "t1");
        Path config = dir.resolve("lifeline.yaml");
        Files.writeString(config, """
                bastion: {provider: local, host: 127.0.0.1, port: 47022, hostKey: "%s"}
                tunnels:
                  - {name: primary, user: tunnel1, key: %s, remote: "127.0.0.1:29000", local: "127.0.0.1:80"}
                stateDir: %s
                links:
                %s""".formatted(TestKeys.ed25519("h").publicLine(), key, dir.resolve("state"), links));
        return config;
    }

    @Test
    void primaryPrintsEachProbeAndTheRoundsVerdict() throws Exception {
        int closed = FreePorts.next();
        Path cfg = config("""
                  primary:
                    probes: ["tcp://127.0.0.1:%d", "tcp://127.0.0.1:%d"]
                    reliability: 2
                """.formatted(open.getLocalPort(), closed));

        int code = lifeline("probe", "primary", "--config", cfg.toString());

        assertThat(code).as(err.toString()).isEqualTo(1);
        assertThat(out.toString()).containsPattern("ok +tcp://127.0.0.1:" + open.getLocalPort() + " +\\d+ ms")
                .containsPattern("FAIL +tcp://127.0.0.1:" + closed)
                .contains("round BAD: 1 of 2 answered (needs 2)");
    }

    @Test
    void backupChecksIspLatencyAndSpeedWithAProgressBarAndRecordsTheBytes() throws Exception {
        try (RateLimitedHttpServer line = RateLimitedHttpServer.start(50_000_000L, 20_000_000L)) {
            Path cfg = config("""
                      backup:
                        expectIsp: AS14593
                        ispLookup: %s
                        speedUrls: ["%s"]
                        latencyProbes: ["tcp://127.0.0.1:%d"]
                        minDownload: 10Mbit
                        maxLatency: 150ms
                        dataBudget: 50MB/day
                    """.formatted(isp.baseUrl() + "/meta", line.url(), open.getLocalPort()));

            int code = lifeline("probe", "backup", "--config", cfg.toString());

            assertThat(code).as(out + "\n" + err).isZero();
            assertThat(out.toString()).contains("ISP      Starlink AS14593").contains("healthy — ISP Starlink AS14593 SPEED ")
                    .containsPattern("speed    \\d+\\.\\d Mbit/s");
            assertThat(err.toString()).contains("speed test [").contains("#");
            assertThat(line.bytesSent()).isLessThan(5_000_000L);
            assertThat(Files.readString(dir.resolve("state/data-budget.json"))).contains("usedBytes");
        }
    }

    @Test
    void aWrongIspIsAProblemNamedInTheScriptsWords() throws Exception {
        Path cfg = config("""
                  backup:
                    expectIsp: Vodafone
                    ispLookup: %s
                    latencyProbes: ["tcp://127.0.0.1:%d"]
                """.formatted(isp.baseUrl() + "/meta", open.getLocalPort()));

        int code = lifeline("probe", "backup", "--config", cfg.toString());

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("wrong ISP — ISP Starlink AS14593 SPEED unknown LATENCY ");
    }
}
