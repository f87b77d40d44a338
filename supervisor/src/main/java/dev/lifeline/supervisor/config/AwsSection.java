package dev.lifeline.supervisor.config;

import java.net.URI;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code bastion.aws}: which EC2 instance is the bastion. Credentials come from the SDK's default chain
 * (environment, ~/.aws, instance role), never from this file.
 *
 * @param endpoint an EC2 endpoint override (another partition, a VPC endpoint, or a test emulator); null: the region's
 */
public record AwsSection(String region, String instanceId, URI endpoint) {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern INSTANCE = Pattern.compile("i-[0-9a-f]{8,17}");

    @JsonCreator
    public AwsSection(@JsonProperty("region") String region, @JsonProperty("instanceId") String instanceId,
                      @JsonProperty("endpoint") String endpoint) {
        this(region, instanceId, endpoint(endpoint));
    }

    public AwsSection {
        if (region == null || !REGION.matcher(region).matches()) {
            throw new ConfigValueException("region", "region must be an AWS region such as eu-central-1 (got " + region + ")");
        }
        if (instanceId == null || !INSTANCE.matcher(instanceId).matches()) {
            throw new ConfigValueException("instanceId", "instanceId must be the bastion's EC2 instance id, i-… (the instanceId stack output; got " + instanceId + ")");
        }
    }

    private static URI endpoint(String text) {
        return EndpointUrl.parse(text, "https://ec2.eu-central-1.amazonaws.com");
    }
}
