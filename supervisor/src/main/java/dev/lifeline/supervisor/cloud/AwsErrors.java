package dev.lifeline.supervisor.cloud;

import java.util.Set;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;


/**
 * Decides, in one place, what an EC2 failure means for a person. Messages carry the error code and request id,
 * never the SDK's text for credential errors (it can quote signing details), and never a key.
 */
final class AwsErrors {
    private static final Set<String> CREDENTIALS = Set.of("AuthFailure", "InvalidClientTokenId", "SignatureDoesNotMatch",
            "MissingAuthenticationToken", "ExpiredToken", "InvalidAccessKeyId", "UnrecognizedClientException",
            "IncompleteSignature", "InvalidSecurity");
    private static final Set<String> PERMISSION = Set.of("UnauthorizedOperation", "AccessDenied", "AccessDeniedException",
            "OptInRequired", "Blocked", "PendingVerification");
    private static final Set<String> NOT_FOUND = Set.of("InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed");
    /** The instance is between states (start while stopping): asking again later works. */
    private static final Set<String> WRONG_MOMENT = Set.of("IncorrectInstanceState", "IncorrectState");

    private AwsErrors() {
    }

    static CloudException classify(String action, AwsSection aws, SdkException e) {
        String call = "aws " + action + " " + aws.instanceId() + ": ";
        if (e instanceof AwsServiceException service) {
            return service(call, action, aws, service);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new CloudException(call + "EC2 did not answer in time; will retry later", false, e);
        }
        String text = String.valueOf(e.getMessage());
        if (text.startsWith(AwsCredentialsFile.MESSAGE_PREFIX)) {
            return new CloudException(call + text + "; write it again: pulumi stack output --json --show-secrets"
                    + " | sudo lifeline import --config FILE", true, null);
        }
        if (text.contains("Unable to load credentials")) {
            return new CloudException(call + "no AWS credentials found: configure the default credential chain "
                    + "(AWS_PROFILE, ~/.aws/credentials, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an instance role)", true, null);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new CloudException(call + "cannot reach EC2 (" + root.getClass().getSimpleName() + "): "
                + (aws.endpoint() == null ? "check the network" : "check the network and bastion.aws.endpoint " + aws.endpoint()), false, e);
    }

    private static CloudException service(String call, String action, AwsSection aws, AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String ref = " (" + (code == null ? "HTTP " + e.statusCode() : code) + (e.requestId() == null ? "" : ", request " + e.requestId()) + ")";
        if (code != null ? CREDENTIALS.contains(code) : e.statusCode() == 401) {
            String whose = aws.credentialsFile() != null
                    ? "check the key in bastion.aws.credentialsFile " + aws.credentialsFile() + " (import it again from the stack:"
                    + " pulumi stack output --json --show-secrets | sudo lifeline import --config FILE)"
                    : "check the default credential chain (AWS_PROFILE, ~/.aws/credentials, AWS_ACCESS_KEY_ID)";
            return new CloudException(call + "AWS refused the credentials" + ref + ": " + whose
                    + " and that this machine's clock is right", true, null);
        }
        if (code != null ? PERMISSION.contains(code) : e.statusCode() == 403) {
            return new CloudException(call + "the credentials may not do this" + ref + ": allow ec2:" + action
                    + " (and ec2:DescribeInstances, ec2:StartInstances, ec2:StopInstances) on " + aws.instanceId(), true, null);
        }
        if (code != null && NOT_FOUND.contains(code)) {
            return new CloudException(call + "no such instance in " + aws.region() + ref
                    + "; check bastion.aws.instanceId and bastion.aws.region (the instanceId stack output)", true, null);
        }
        if (code != null && WRONG_MOMENT.contains(code)) {
            return new CloudException(call + "the instance is between states" + ref + "; try again when it has settled", false, e);
        }
        if (e.isThrottlingException() || e.statusCode() >= 500 || e.statusCode() == 0) {
            return new CloudException(call + "EC2 is throttling or failing" + ref + " after the SDK's retries; will retry later", false, e);
        }
        return new CloudException(call + "EC2 refused the request" + ref, true, e);
    }
}
