package dev.lifeline.supervisor.cloud;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;


/** Makes a bastion-like instance in an EC2 emulator, the way `pulumi up` would in the real cloud. */
public final class Ec2Instances {
    static final String REGION = "eu-central-1";

    private Ec2Instances() {
    }

    /** RunInstances with one of the emulator's own images; returns the new instance's id. */
    public static String runOne(URI endpoint) {
        try (Ec2Client ec2 = client(endpoint)) {
            String image = ec2.describeImages(r -> r.owners("amazon")).images().stream()
                    .filter(i -> "x86_64".equals(i.architectureAsString())).findFirst()
                    .or(() -> ec2.describeImages(r -> { }).images().stream().findFirst())
                    .orElseThrow(() -> new IllegalStateException("the emulator at " + endpoint + " lists no image"))
                    .imageId();
            return ec2.runInstances(r -> r.imageId(image).instanceType(InstanceType.T3_MICRO).minCount(1).maxCount(1))
                    .instances().get(0).instanceId();
        }
    }

    /** TerminateInstances: what `pulumi destroy` or a click in the console does to the bastion. */
    static void terminate(URI endpoint, String instanceId) {
        try (Ec2Client ec2 = client(endpoint)) {
            ec2.terminateInstances(r -> r.instanceIds(instanceId));
        }
    }

    private static Ec2Client client(URI endpoint) {
        return Ec2Client.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    static AwsSection section(URI endpoint, String instanceId) {
        return new AwsSection(REGION, instanceId, endpoint);
    }
}
