package dev.lifeline.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.pulumi.test.PulumiTest;

import dev.lifeline.provision.testing.CloudMocks;
import dev.lifeline.provision.testing.CloudMocks.Created;
import dev.lifeline.provision.testing.IamSimulator;
import dev.lifeline.provision.testing.IamSimulator.Request;
import dev.lifeline.provision.testing.MockedStack;
import dev.lifeline.templates.testing.TestStacks;

/**
 * The policy the program gives the supervisor's IAM user, exactly as it reaches the provider (the UserPolicy's input,
 * built from the ARN the provider reported for the instance), judged by IAM's evaluation rules and AWS's own data on
 * which resources each EC2 action takes (iam-simulate). This is what moto cannot show (SupervisorPolicyIT): that the key
 * may start and stop the bastion; and that it may do nothing else to it, nor anything to any other instance.
 */
class SupervisorPolicySimulationIT {
    private static final String A = CloudMocks.INSTANCE_ARN;
    private static final String OTHER_INSTANCE = "arn:aws:ec2:eu-central-1:" + CloudMocks.ACCOUNT + ":instance/i-0fffffffffffffff0";
    private static final String OTHER_REGION = A.replace(":eu-central-1:", ":eu-west-1:");
    private static final String OTHER_ACCOUNT = A.replace(":" + CloudMocks.ACCOUNT + ":", ":210987654321:");
    private static String policy;
    private static String principal;

    @BeforeAll
    static void theProgramsPolicy() {
        CloudMocks cloud = MockedStack.run(TestStacks.validAws()).cloud();
        policy = (String) cloud.one("aws:iam/userPolicy:UserPolicy").inputs().get("policy");
        Created user = cloud.one("aws:iam/user:User");
        principal = (String) user.state().get("arn");
    }

    @AfterAll
    static void cleanup() {
        PulumiTest.cleanup();
    }

    private static Map<String, String> decide(List<Request> requests) {
        List<String> answers = IamSimulator.find().decide(policy, principal, CloudMocks.ACCOUNT, requests);
        Map<String, String> byRequest = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            byRequest.put(requests.get(i).action() + " " + requests.get(i).resource(), answers.get(i));
        }
        return byRequest;
    }

    @Test
    void theKeyMayStartAndStopTheBastionAndReadInstanceStates() {
        assertThat(decide(List.of(new Request("ec2:StartInstances", A), new Request("ec2:StopInstances", A),
                new Request("ec2:DescribeInstances", "*"))))
                .as("policy:%n%s", policy).allSatisfy((request, decision) -> assertThat(decision).as(request).isEqualTo("Allowed"));
    }

    @Test
    void theKeyMayStartOrStopNoOtherInstanceNotTheSameIdElsewhere() {
        List<Request> requests = List.of(
                new Request("ec2:StartInstances", OTHER_INSTANCE), new Request("ec2:StopInstances", OTHER_INSTANCE),
                new Request("ec2:StartInstances", OTHER_REGION), new Request("ec2:StopInstances", OTHER_ACCOUNT));

        assertThat(decide(requests)).hasSize(4)
                .allSatisfy((request, decision) -> assertThat(decision).as(request).isEqualTo("ImplicitlyDenied"));
    }

    @Test
    void theKeyMayDoNothingElseToTheBastionNorMakeItselfMoreKeys() {
        List<Request> requests = List.of(
                new Request("ec2:TerminateInstances", A), new Request("ec2:RebootInstances", A),
                new Request("ec2:ModifyInstanceAttribute", A), new Request("ec2:GetConsoleOutput", A),
                new Request("iam:CreateAccessKey", principal));

        assertThat(decide(requests)).hasSize(5)
                .allSatisfy((request, decision) -> assertThat(decision).as(request).isEqualTo("ImplicitlyDenied"));
    }

    @Test
    void describeInstancesCannotBeScopedToTheBastionWhichIsWhyItsResourceIsTheWildcard() {
        // AWS's service authorization data lists no resource type for ec2:DescribeInstances: IAM takes only "*"
        assertThat(decide(List.of(new Request("ec2:DescribeInstances", A))).values())
                .singleElement().asString().startsWith("error: ").contains("wildcard");
    }
}
