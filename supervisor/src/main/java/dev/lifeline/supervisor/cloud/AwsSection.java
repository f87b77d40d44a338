package dev.lifeline.supervisor.cloud;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.settings.Endpoints;
import dev.lifeline.supervisor.settings.SecretFile;
import dev.lifeline.supervisor.settings.StartupChecks;

/**
 * {@code bastion.aws}: which EC2 instance is the bastion, and whose key starts and stops it. The key itself never sits in
 * this file: either {@code credentialsFile} names an AWS shared credentials file ({@code lifeline import} writes the
 * stack's supervisor key there), or the SDK's default chain (environment, ~/.aws, instance role) finds one.
 *
 * @param endpoint        an EC2 endpoint override (another partition, a VPC endpoint, or a test emulator); null: the region's
 * @param credentialsFile an AWS credentials file only lifeline can read, whose [default] profile is used; null: the
 *                        SDK's default chain
 */
public record AwsSection(String region, String instanceId, URI endpoint, Path credentialsFile) {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern INSTANCE = Pattern.compile("i-[0-9a-f]{8,17}");

    @JsonCreator
    public AwsSection(@JsonProperty("region") String region, @JsonProperty("instanceId") String instanceId,
                      @JsonProperty("endpoint") String endpoint, @JsonProperty("credentialsFile") String credentialsFile,
                      @JacksonInject StartupChecks checks) {
        this(region, instanceId, Endpoints.optional("endpoint", endpoint, "https://ec2.eu-central-1.amazonaws.com"), credentialsFile(credentialsFile));
        if (this.credentialsFile != null) {
            ConfigValueException.check(List.of("credentialsFile"), () -> checks.awsCredentials(this.credentialsFile));
        }
    }

    private static Path credentialsFile(String path) {
        if (path == null) {
            return null;
        }
        try {
            return SecretFile.checked("credentialsFile", path);
        } catch (ConfigValueException e) {
            // the file's own problem, then where a good one comes from
            throw new ConfigValueException("credentialsFile", e.getMessage() + "; import writes it from the stack:"
                    + " pulumi stack output --json --show-secrets | sudo lifeline import --config FILE");
        }
    }

    /** With the SDK's default credential chain. */
    public AwsSection(String region, String instanceId, URI endpoint) {
        this(region, instanceId, endpoint, (Path) null);
    }

    public AwsSection {
        if (region == null || !REGION.matcher(region).matches()) {
            throw new ConfigValueException("region", "region must be an AWS region such as eu-central-1 (got " + region + ")");
        }
        if (instanceId == null || !INSTANCE.matcher(instanceId).matches()) {
            throw new ConfigValueException("instanceId", "instanceId must be the bastion's EC2 instance id, i-… (the instanceId stack output; got " + instanceId + ")");
        }
    }
}
