package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

import dev.lifeline.supervisor.cloud.BastionControl;
import dev.lifeline.supervisor.cloud.BastionControls;
import dev.lifeline.supervisor.cloud.BastionStatus.State;
import dev.lifeline.supervisor.cloud.CloudException;
import dev.lifeline.supervisor.cloud.CloudSettings;
import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.templates.testing.MotoServer;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.Tools;

/**
 * The supervisor's AWS key from the stack outputs to a signed EC2 call: the packaged jar's {@code lifeline import} reads
 * outputs that carry the key (as {@code pulumi stack output --json --show-secrets} prints them), and the AWS control the
 * daemon builds from the config it wrote starts and stops the bastion in moto with IAM enforced — with that key and no
 * other: once IAM deletes the key, the same control is refused; a new key imported over it works without a restart.
 *
 * <p>The IAM user here may Start/Stop/Describe on "*": moto 5.2.5 authorizes EC2 only against "*" (see MotoServer), and
 * what the program's own policy allows and refuses is SupervisorPolicyIT's. This test is about which key is used.
 */
class ImportedAwsKeyIT {
    private static final Region REGION = Region.EU_CENTRAL_1;
    private static final String USER = "lifeline-test-supervisor";
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private static final String SERVICE_USER = ROOT ? "daemon" : System.getProperty("user.name");
    private static final CloudSettings FAST = CloudSettings.DEFAULTS.withPollInterval(Duration.ofMillis(200));

    @TempDir
    Path dir;
    private MotoServer moto;
    private AwsBasicCredentials admin;
    private String instance;

    @BeforeEach
    void bastionInMotoWithIamOn() {
        // three free requests make the administrator; every later one is signed and checked (MotoServer.enforcingIam)
        moto = MotoServer.enforcingIam(3);
        try (IamClient bootstrap = iam(AwsBasicCredentials.create("bootstrap", "bootstrap"))) {
            bootstrap.createUser(r -> r.userName("admin"));
            bootstrap.putUserPolicy(r -> r.userName("admin").policyName("everything").policyDocument(allow("*")));
            admin = credentials(bootstrap.createAccessKey(r -> r.userName("admin")).accessKey());
        }
        try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(moto.endpoint()).region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(admin)).build(); IamClient iam = iam(admin)) {
            String image = ec2.describeImages(r -> r.owners("amazon")).images().get(0).imageId();
            instance = ec2.runInstances(r -> r.imageId(image).instanceType(InstanceType.T3_MICRO).minCount(1).maxCount(1))
                    .instances().get(0).instanceId();
            iam.createUser(r -> r.userName(USER).path("/lifeline/"));
            iam.putUserPolicy(r -> r.userName(USER).policyName(USER + "-policy")
                    .policyDocument(allow("\"ec2:StartInstances\",\"ec2:StopInstances\",\"ec2:DescribeInstances\"")));
        }
    }

    @AfterEach
    void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void theDaemonsControlSignsWithTheImportedKeyAndOnlyWithIt() throws Exception {
        AccessKey key = newKey();
        Path config = config();

        Tools.Result imported = importOutputs(config, key);

        assertThat(imported.exitCode()).as("%s", imported).isZero();
        assertThat(imported.output()).as("all the jar printed, logs included")
                .doesNotContain(key.secretAccessKey()).doesNotContain(key.accessKeyId())
                .contains("bastion.aws.credentialsFile " + dir.resolve("aws-credentials"));
        try (BastionControl control = BastionControls.forConfig(ConfigLoader.load(config).bastion(), FAST)) {
            assertThat(control.status().state()).as("moto log:%n%s", moto.log()).isEqualTo(State.RUNNING);
            control.stop();
            assertThat(control.await(State.STOPPED, Duration.ofSeconds(60)).state()).isEqualTo(State.STOPPED);
            control.start();
            assertThat(control.await(State.RUNNING, Duration.ofSeconds(60)).state()).isEqualTo(State.RUNNING);

            try (IamClient iam = iam(admin)) {
                iam.deleteAccessKey(r -> r.userName(USER).accessKeyId(key.accessKeyId()));
            }
            assertThatThrownBy(control::status).as("the deleted key, so no other key was in use")
                    .isInstanceOf(CloudException.class).hasMessageContaining("AWS refused the credentials")
                    .hasMessageContaining("bastion.aws.credentialsFile " + dir.resolve("aws-credentials"));

            AccessKey rotated = newKey();
            assertThat(importOutputs(config, rotated).exitCode()).isZero();
            assertThat(control.status().state()).as("the new key, read again by the running control").isEqualTo(State.RUNNING);

            Files.delete(dir.resolve("aws-credentials"));
            assertThatThrownBy(control::status).as("a key file gone is the file's problem, not the network's")
                    .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.permanent()).isTrue())
                    .hasMessageContaining("bastion.aws.credentialsFile " + dir.resolve("aws-credentials") + " cannot be read")
                    .hasMessageContaining("lifeline import");
        }
    }

    @Test
    void withoutShowSecretsTheInstalledKeyStaysInUse() throws Exception {
        AccessKey key = newKey();
        Path config = config();
        assertThat(importOutputs(config, key).exitCode()).isZero();

        Tools.Result hidden = run(config, outputs(key.accessKeyId(), "[secret]"));

        assertThat(hidden.exitCode()).as("%s", hidden).isZero();
        assertThat(hidden.output()).contains("--show-secrets");
        try (BastionControl control = BastionControls.forConfig(ConfigLoader.load(config).bastion(), FAST)) {
            assertThat(control.status().state()).isEqualTo(State.RUNNING);
        }
    }

    private AccessKey newKey() {
        try (IamClient iam = iam(admin)) {
            return iam.createAccessKey(r -> r.userName(USER)).accessKey();
        }
    }

    /** A config as the package ships it, the bastion's EC2 endpoint pointed at moto; import fills in the rest. */
    private Path config() throws Exception {
        Path tunnelKey = TestConfigs.privateKey(dir.resolve("tunnel1"), "t1");
        return Files.writeString(dir.resolve("lifeline.yaml"), """
                bastion:
                  provider: aws
                  host: 203.0.113.10
                  port: 47022
                  hostKey: "[203.0.113.10]:47022 %s"
                  mode: on-outage
                  aws:
                    region: eu-central-1
                    instanceId: i-00000000000000000
                    endpoint: "%s"
                tunnels:
                  - name: primary
                    user: tunnel1
                    key: %s
                    remote: 127.0.0.1:29000
                    local: 127.0.0.1:8080
                """.formatted(TestKeys.ed25519("bastion").publicLine().replace(" bastion", ""), moto.endpoint(), tunnelKey));
    }

    private String outputs(String keyId, String secret) {
        String hostKey = TestKeys.ed25519("lifeline-bastion").publicLine();
        return """
                {
                  "provider": "aws",
                  "region": "eu-central-1",
                  "instanceId": "%s",
                  "publicIp": "198.51.100.20",
                  "sshPort": 47022,
                  "adminUser": "admin",
                  "knownHostsLine": "[198.51.100.20]:47022 %s",
                  "hostKeyPublic": "%s",
                  "tunnelPorts": {"primary": 29000},
                  "supervisorAccessKeyId": "%s",
                  "supervisorSecretAccessKey": "%s"
                }
                """.formatted(instance, hostKey, hostKey, keyId, secret);
    }

    private Tools.Result importOutputs(Path config, AccessKey key) {
        return run(config, outputs(key.accessKeyId(), key.secretAccessKey()));
    }

    /** The packaged jar, as `pulumi stack output --json --show-secrets | sudo lifeline import` runs it. */
    private static Tools.Result run(Path config, String stdin) {
        return Tools.run(120, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace", "-jar", SupervisorProcess.jar().toString(),
                "import", "--config", config.toString(), "--service-user", SERVICE_USER), Map.of(), stdin);
    }

    private static String allow(String actions) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + (actions.startsWith("\"") ? "[" + actions + "]" : "\"" + actions + "\"") + ",\"Resource\":\"*\"}]}";
    }

    private static AwsBasicCredentials credentials(AccessKey key) {
        return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }

    private IamClient iam(AwsBasicCredentials credentials) {
        return IamClient.builder().endpointOverride(moto.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
    }
}
