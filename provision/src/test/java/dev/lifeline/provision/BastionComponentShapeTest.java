package dev.lifeline.provision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.pulumi.test.PulumiTest;

import dev.lifeline.provision.bastion.AwsBastion;
import dev.lifeline.provision.bastion.BastionComponent;
import dev.lifeline.provision.bastion.DigitalOceanBastion;
import dev.lifeline.provision.testing.MockedStack;
import dev.lifeline.templates.testing.TestStacks;

/**
 * Whichever cloud, the bastion is one shape: a BastionComponent under lifeline's type token, with the same outputs —
 * but for the supervisor's key, which only AWS can limit to one machine.
 */
class BastionComponentShapeTest {

    @AfterAll
    static void cleanup() {
        PulumiTest.cleanup();
    }

    @Test
    void bothProvidersBuildTheSameShapeAndTheStackExportsTheSameOutputs() {
        MockedStack aws = MockedStack.run(TestStacks.validAws());
        MockedStack digitalOcean = MockedStack.run(TestStacks.validAws().set("provider", "digitalocean").remove("image"));

        BastionComponent onAws = aws.one(AwsBastion.class);
        BastionComponent onDo = digitalOcean.one(DigitalOceanBastion.class);

        assertThat(onAws.pulumiResourceType()).isEqualTo("lifeline:index:AwsBastion");
        assertThat(onDo.pulumiResourceType()).isEqualTo("lifeline:index:DigitalOceanBastion");
        java.util.Set<String> awsOnly = new java.util.HashSet<>(aws.result().outputs().keySet());
        awsOnly.removeAll(digitalOcean.result().outputs().keySet());
        assertThat(digitalOcean.result().outputs().keySet()).as("the stack outputs lifeline import reads")
                .isSubsetOf(aws.result().outputs().keySet())
                .contains("instanceId", "publicIp", "knownHostsLine", "tunnelPorts");
        assertThat(awsOnly).containsExactlyInAnyOrder("supervisorAccessKeyId", "supervisorSecretAccessKey");
    }
}
