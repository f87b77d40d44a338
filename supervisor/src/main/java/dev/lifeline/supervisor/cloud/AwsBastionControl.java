package dev.lifeline.supervisor.cloud;

import java.time.Duration;
import java.util.function.Supplier;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

import dev.lifeline.supervisor.cloud.BastionStatus.State;

/**
 * The bastion as one EC2 instance. Throttling and 5xx are retried by the SDK itself (standard retry mode, a
 * bounded number of attempts, the whole call bounded by {@link CloudSettings#apiCallTimeout()}); what is left
 * is classified by {@link AwsErrors}.
 *
 * <p>An unknown instance id ({@code InvalidInstanceID.NotFound}) is a permanent error, not {@link State#GONE}: a
 * wrong id or region in the config is far more likely than a vanished bastion, and either way a person must act
 * (fix the config, or {@code pulumi up}). A terminated instance that EC2 still lists is GONE.
 */
final class AwsBastionControl implements BastionControl {
    private final AwsSection aws;
    private final Ec2Client ec2;
    private final StatusPoller poller;

    AwsBastionControl(AwsSection aws, CloudSettings settings) {
        this.aws = aws;
        this.poller = new StatusPoller(settings.pollInterval());
        Ec2ClientBuilder builder = Ec2Client.builder()
                .region(Region.of(aws.region()))
                .credentialsProvider(aws.credentialsFile() == null ? DefaultCredentialsProvider.builder().build()
                        : AwsCredentialsFile.provider(aws.credentialsFile()))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.attemptTimeout()))
                .overrideConfiguration(o -> o
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(settings.maxAttempts()).build())
                        .apiCallAttemptTimeout(settings.attemptTimeout())
                        .apiCallTimeout(settings.apiCallTimeout()));
        if (aws.endpoint() != null) {
            builder.endpointOverride(aws.endpoint());
        }
        this.ec2 = builder.build();
    }

    @Override
    public String describe() {
        return "aws " + aws.instanceId() + " (" + aws.region() + ")";
    }

    @Override
    public BastionStatus status() {
        Instance i = call("DescribeInstances", () -> ec2.describeInstances(r -> r.instanceIds(aws.instanceId()))
                .reservations().stream().flatMap(res -> res.instances().stream())
                .filter(found -> aws.instanceId().equals(found.instanceId())).findFirst().orElse(null));
        if (i == null) {
            throw new CloudException("aws DescribeInstances: no instance " + aws.instanceId() + " in " + aws.region()
                    + "; check bastion.aws.instanceId and bastion.aws.region (the instanceId stack output)", true, null);
        }
        String word = i.state() == null ? "unknown" : i.state().nameAsString();
        return new BastionStatus(aws.instanceId(), state(i.state() == null ? null : i.state().name()), i.publicIpAddress(), word);
    }

    @Override
    public void start() {
        call("StartInstances", () -> ec2.startInstances(r -> r.instanceIds(aws.instanceId())));
    }

    @Override
    public void stop() {
        call("StopInstances", () -> ec2.stopInstances(r -> r.instanceIds(aws.instanceId())));
    }

    @Override
    public BastionStatus await(State wanted, Duration timeout) {
        return poller.await(this::status, wanted, timeout);
    }

    @Override
    public void close() {
        ec2.close();
    }

    static State state(InstanceStateName name) {
        if (name == null) {
            return State.UNKNOWN;
        }
        return switch (name) {
            case PENDING -> State.STARTING;
            case RUNNING -> State.RUNNING;
            case STOPPING -> State.STOPPING;
            case STOPPED -> State.STOPPED;
            case SHUTTING_DOWN, TERMINATED -> State.GONE;
            default -> State.UNKNOWN;
        };
    }

    private <T> T call(String action, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw AwsErrors.classify(action, aws, e);
        }
    }
}
