package dev.lifeline.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.sts.StsClient;

import dev.lifeline.provision.bastion.SupervisorPolicy;
import dev.lifeline.templates.testing.MotoServer;

/**
 * The program's policy document ({@link SupervisorPolicy}, the one AwsBastion gives the supervisor's IAM user) in
 * a real IAM implementation: moto with authentication on. The first three requests are moto's free ones and make an
 * administrator; everything else is signed and authorized. The supervisor's key, made like the program makes it
 * (a user, that inline policy naming instance A's ARN, one access key), reads instance states and is refused
 * start, stop and terminate on instance B and terminate on A.
 *
 * <p>What moto cannot show: that the key may start and stop A. moto 5.2.5 authorizes every EC2 action against the
 * resource "*" (EC2's responses have no {@code _determine_resource}, so {@code call_action} passes "*"), so a
 * statement scoped to an instance ARN — the whole point of this policy — never matches there and A is refused too
 * (measured: AccessDenied for StopInstances on both instances). AwsBastionTest checks that the statement names
 * exactly A's ARN.
 */
class SupervisorPolicyIT {
    private static final Region REGION = Region.EU_CENTRAL_1;
    /** CreateUser, PutUserPolicy, CreateAccessKey for the administrator: the requests moto lets through unsigned. */
    private static final int FREE_ACTIONS = 3;
    private static MotoServer moto;
    private static AwsBasicCredentials admin;
    private static String instanceA;
    private static String instanceB;
    private static Ec2Client supervisor;

    @BeforeAll
    static void makeTheBastionAndTheSupervisorsKey() {
        moto = MotoServer.enforcingIam(FREE_ACTIONS);
        try (IamClient bootstrap = iam(AwsBasicCredentials.create("bootstrap", "bootstrap"))) {
            bootstrap.createUser(r -> r.userName("admin"));
            bootstrap.putUserPolicy(r -> r.userName("admin").policyName("everything").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"));
            admin = credentials(bootstrap.createAccessKey(r -> r.userName("admin")).accessKey());
        }
        String account;
        try (Ec2Client ec2 = ec2(admin); StsClient sts = StsClient.builder().endpointOverride(moto.endpoint()).region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(admin)).build()) {
            String image = ec2.describeImages(r -> r.owners("amazon")).images().get(0).imageId();
            instanceA = run(ec2, image);
            instanceB = run(ec2, image);
            account = sts.getCallerIdentity().account();
        }
        String arnA = "arn:aws:ec2:" + REGION.id() + ":" + account + ":instance/" + instanceA;
        try (IamClient iam = iam(admin)) {
            iam.createUser(r -> r.userName("lifeline-test-supervisor").path("/lifeline/"));
            iam.putUserPolicy(r -> r.userName("lifeline-test-supervisor").policyName("lifeline-test-supervisor-policy")
                    .policyDocument(SupervisorPolicy.document(arnA)));
            supervisor = ec2(credentials(iam.createAccessKey(r -> r.userName("lifeline-test-supervisor")).accessKey()));
        }
    }

    @AfterAll
    static void stopMoto() {
        if (supervisor != null) {
            supervisor.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void theKeyReadsTheStateOfTheBastion() {
        var states = supervisor.describeInstances(r -> r.instanceIds(instanceA)).reservations().stream()
                .flatMap(res -> res.instances().stream()).map(i -> i.instanceId() + " " + i.state().nameAsString()).toList();

        assertThat(states).as("moto log:%n%s", moto.log()).containsExactly(instanceA + " running");
    }

    @Test
    void theKeyIsRefusedStartAndStopOnAnotherInstance() {
        assertRefused(() -> supervisor.stopInstances(r -> r.instanceIds(instanceB)));
        assertRefused(() -> supervisor.startInstances(r -> r.instanceIds(instanceB)));
        try (Ec2Client ec2 = ec2(admin)) {
            assertThat(ec2.describeInstances(r -> r.instanceIds(instanceB)).reservations().get(0).instances().get(0)
                    .state().nameAsString()).as("B never stopped").isEqualTo("running");
        }
    }

    @Test
    void theKeyMayNeitherTerminateNorLaunchAnything() {
        assertRefused(() -> supervisor.terminateInstances(r -> r.instanceIds(instanceA)));
        assertRefused(() -> supervisor.terminateInstances(r -> r.instanceIds(instanceB)));
        assertRefused(() -> supervisor.runInstances(r -> r.imageId("ami-12c6146b").instanceType(InstanceType.T3_MICRO)
                .minCount(1).maxCount(1)));
    }

    @Test
    void theDocumentIsOneIamTakesAsItIs() {
        try (IamClient iam = iam(admin)) {
            String stored = java.net.URLDecoder.decode(iam.getUserPolicy(r -> r.userName("lifeline-test-supervisor")
                    .policyName("lifeline-test-supervisor-policy")).policyDocument(), java.nio.charset.StandardCharsets.UTF_8);

            assertThat(stored).contains("\"ec2:StartInstances\"", "\"ec2:StopInstances\"", "\"ec2:DescribeInstances\"",
                    ":instance/" + instanceA + "\"");
        }
    }

    private static void assertRefused(Executable call) {
        assertThatThrownBy(call::execute).isInstanceOf(AwsServiceException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode())
                        .isIn(List.of("UnauthorizedOperation", "AccessDenied")));
    }

    private static String run(Ec2Client ec2, String image) {
        return ec2.runInstances(r -> r.imageId(image).instanceType(InstanceType.T3_MICRO).minCount(1).maxCount(1))
                .instances().get(0).instanceId();
    }

    private static AwsBasicCredentials credentials(AccessKey key) {
        return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }

    private static IamClient iam(AwsBasicCredentials credentials) {
        // IAM is global: its endpoint's signing region is us-east-1 whatever the bastion's region.
        return IamClient.builder().endpointOverride(moto.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .httpClientBuilder(http()).build();
    }

    private static Ec2Client ec2(AwsBasicCredentials credentials) {
        return Ec2Client.builder().endpointOverride(moto.endpoint()).region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClientBuilder(http()).build();
    }

    private static UrlConnectionHttpClient.Builder http() {
        return UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30));
    }
}
