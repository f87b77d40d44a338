package dev.lifeline.provision.bastion;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the home supervisor may do with its AWS key, and nothing more: start and stop the one bastion instance, and
 * read instance states. {@code ec2:StartInstances}/{@code ec2:StopInstances} take an instance ARN,
 * {@code arn:aws:ec2:REGION:ACCOUNT:instance/ID} (AWS Compute Optimizer API reference, GetLicenseRecommendations
 * "resourceArns": "arn:aws:ec2:region:aws_account_id:instance/instance-id"), and AWS's own example policy for starting
 * and stopping instances scopes exactly these two actions to instance ARNs while granting {@code ec2:DescribeInstances}
 * on "*" (IAM User Guide, "Amazon EC2: Allows starting or stopping EC2 instances a user has tagged"):
 * {@code ec2:Describe*} actions do not support resource-level permissions, so their Resource must be the wildcard
 * (EC2 User Guide, "Identity-based policies for Amazon EC2"; Service Authorization Reference, "Actions, resources, and
 * condition keys for Amazon EC2": an action with no resource type needs "*"). Describe reveals instance metadata of
 * the account, never changes it.
 */
public final class SupervisorPolicy {
    public static final List<String> START_STOP = List.of("ec2:StartInstances", "ec2:StopInstances");
    public static final String DESCRIBE = "ec2:DescribeInstances";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SupervisorPolicy() {
    }

    /** The IAM policy document for the instance {@code instanceArn}, as the JSON text IAM takes. */
    public static String document(String instanceArn) {
        if (instanceArn == null || !instanceArn.matches("arn:aws[a-z-]*:ec2:[a-z0-9-]+:\\d{12}:instance/i-[0-9a-f]+")) {
            // The program must never widen the key because an ARN came out wrong: refuse instead.
            throw new IllegalArgumentException("not an EC2 instance ARN: " + instanceArn);
        }
        ObjectNode policy = JSON.createObjectNode();
        policy.put("Version", "2012-10-17");
        ArrayNode statements = policy.putArray("Statement");
        ObjectNode startStop = statements.addObject();
        startStop.put("Sid", "StartAndStopTheBastion");
        startStop.put("Effect", "Allow");
        START_STOP.forEach(startStop.putArray("Action")::add);
        startStop.put("Resource", instanceArn);
        ObjectNode describe = statements.addObject();
        describe.put("Sid", "ReadInstanceStates");
        describe.put("Effect", "Allow");
        describe.put("Action", DESCRIBE);
        describe.put("Resource", "*");
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the policy document", e);
        }
    }
}
