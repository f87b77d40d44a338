package dev.lifeline.supervisor.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.templates.testing.Tools;

/**
 * lifeline.jar as the package ships it: the cloud and SMS libraries in lib/ beside it, not inside, and put on the class
 * path by OnDemandJars when a command needs them. (The AWS and Twilio paths through the jar are run by OutageResponseIT,
 * ImportedAwsKeyIT and SecretsStayOutOfDebugLogsIT; DigitalOcean's here, against WireMock on 127.0.0.1.)
 */
class OnDemandJarsIT {
    private static final long DROPLET = 3164494;

    @TempDir
    Path dir;

    private WireMockServer api;

    @BeforeEach
    void start() {
        api = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        api.start();
        api.stubFor(get(urlPathEqualTo("/v2/droplets/" + DROPLET)).willReturn(okJson("""
                {"droplet": {"id": %d, "name": "lifeline-bastion", "memory": 512, "vcpus": 1, "disk": 10, "locked": false,
                  "status": "off", "created_at": "2025-11-14T16:29:21Z", "features": [], "backup_ids": [], "snapshot_ids": [],
                  "size_slug": "s-1vcpu-512mb-10gb", "networks": {"v4": [], "v6": []},
                  "region": {"name": "Frankfurt 1", "slug": "fra1", "sizes": [], "features": [], "available": true},
                  "tags": ["lifeline"], "volume_ids": []}}
                """.formatted(DROPLET))));
    }

    @AfterEach
    void stop() {
        api.stop();
    }

    @Test
    void theLibrariesAreBesideTheJarNotInIt() throws IOException {
        Path jar = SupervisorProcess.jar();
        Path lib = jar.resolveSibling("lib");
        assertThat(entries(jar)).as("lifeline.jar").noneMatch(e -> e.startsWith("software/amazon/") || e.startsWith("com/twilio/")
                || e.startsWith("com/myjeeva/")).contains("dev/lifeline/supervisor/cloud/AwsBastionControl.class");
        assertThat(entries(lib.resolve("aws.jar"))).contains("software/amazon/awssdk/services/ec2/Ec2Client.class")
                .noneMatch(e -> e.startsWith("dev/lifeline/"));
        assertThat(entries(lib.resolve("digitalocean.jar"))).contains("com/myjeeva/digitalocean/impl/DigitalOceanClient.class");
        assertThat(entries(lib.resolve("twilio.jar"))).contains("com/twilio/Twilio.class");
    }

    @Test
    void aCommandThatNeedsALibraryGetsItFromLib() throws Exception {
        Tools.Result status = bastionStatus(SupervisorProcess.jar());
        assertThat(status.exitCode()).as("%s", status).isZero();
        assertThat(status.output()).contains("digitalocean droplet " + DROPLET).contains("STOPPED");
        api.verify(1, getRequestedFor(urlPathEqualTo("/v2/droplets/" + DROPLET)));
    }

    @Test
    void withoutLibTheCommandSaysWhatIsMissing() throws Exception {
        Path alone = Files.copy(SupervisorProcess.jar(), Files.createDirectories(dir.resolve("alone")).resolve("lifeline.jar"));
        Tools.Result status = bastionStatus(alone);
        assertThat(status.exitCode()).as("%s", status).isNotZero();
        assertThat(status.output()).contains(dir.resolve("alone/lib/digitalocean.jar").toString()).contains("reinstall the lifeline package");
        api.verify(0, getRequestedFor(urlPathEqualTo("/v2/droplets/" + DROPLET)));
    }

    private Tools.Result bastionStatus(Path jar) throws Exception {
        Path token = dir.resolve("do-token");
        if (!Files.exists(token)) {
            TestConfigs.privateFile(token, "dop_v1_lifelinetesttoken0123456789abcdef\n");
        }
        Path config = BastionCommandTest.BastionConfigs.write(dir, "provider: digitalocean\n  digitalocean: {dropletId: " + DROPLET
                + ", tokenFile: " + token + ", endpoint: \"http://127.0.0.1:" + api.port() + "\"}");
        return Tools.run(120, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "bastion", "status", "--config", config.toString()));
    }

    private static List<String> entries(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(java.util.zip.ZipEntry::getName).toList();
        }
    }
}
