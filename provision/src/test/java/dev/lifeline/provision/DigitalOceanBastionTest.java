package dev.lifeline.provision;

import static dev.lifeline.provision.AwsBastionTest.listOfMaps;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.pulumi.core.internal.OutputData;
import com.pulumi.resources.ComponentResource;
import com.pulumi.test.PulumiTest;

import dev.lifeline.provision.bastion.DigitalOceanBastion;
import dev.lifeline.provision.digitalocean.Droplet;
import dev.lifeline.provision.testing.CloudMocks;
import dev.lifeline.provision.testing.MockedStack;
import dev.lifeline.provision.testing.MockedStack.Constructed;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.TestStacks;

class DigitalOceanBastionTest {
    private static final String DROPLET = "digitalocean:index/droplet:Droplet";
    private static final String FIREWALL = "digitalocean:index/firewall:Firewall";
    private static final String SSH_KEY = "digitalocean:index/sshKey:SshKey";

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    private static TestStacks onDigitalOcean() {
        return TestStacks.validAws().set("provider", "digitalocean").remove("image");
    }

    @Test
    void firewallAdmitsOnlyTheSshPortAndTheWebFrontFromOutside() {
        List<Map<String, Object>> inbound = inboundOf(MockedStack.run(onDigitalOcean()));

        assertThat(inbound).extracting(r -> r.get("protocol")).containsOnly("tcp");
        assertThat(portRanges(inbound)).containsExactlyInAnyOrder("47022", "80", "443");
        assertThat(portRanges(inbound)).doesNotContain("22").noneMatch(p -> p.contains("-"));
    }

    @Test
    void firewallAdmitsOnlyTheSshPortWhenTheWebFrontIsOff() {
        List<Map<String, Object>> inbound = inboundOf(MockedStack.run(onDigitalOcean().remove("web")));

        assertThat(portRanges(inbound)).as("no 80/443 without a web front").containsExactly("47022");
    }

    @Test
    void sshIsReachableOnlyFromSshAllowFrom() {
        TestStacks values = onDigitalOcean().json("sshAllowFrom", List.of("198.51.100.0/24", "2001:db8::/32"));

        Map<String, Object> ssh = inboundOf(MockedStack.run(values)).stream()
                .filter(r -> r.get("portRange").equals("47022")).findFirst().orElseThrow();

        assertThat(ssh.get("sourceAddresses")).isEqualTo(List.of("198.51.100.0/24", "2001:db8::/32"));
    }

    @Test
    void firewallGuardsTheDropletAndLetsItReachOutEverywhere() {
        CloudMocks cloud = MockedStack.run(onDigitalOcean()).cloud();
        Map<String, Object> firewall = cloud.one(FIREWALL).inputs();

        assertThat(firewall.get("dropletIds")).isEqualTo(List.of(Double.valueOf(CloudMocks.DROPLET_ID)));
        assertThat(listOfMaps(firewall.get("outboundRules")))
                .extracting(r -> r.get("protocol")).containsExactlyInAnyOrder("tcp", "udp", "icmp");
        assertThat(listOfMaps(firewall.get("outboundRules")))
                .allSatisfy(r -> assertThat(r.get("destinationAddresses")).isEqualTo(List.of("0.0.0.0/0", "::/0")));
    }

    @Test
    void dropletBootsTheChosenImageWithIpv6() {
        Map<String, Object> droplet = MockedStack.run(onDigitalOcean()).cloud().one(DROPLET).inputs();

        assertThat(droplet)
                .containsEntry("image", "debian-12-x64")
                .containsEntry("region", "fra1")
                .containsEntry("size", "s-1vcpu-512mb-10gb")
                .containsEntry("ipv6", true)
                .containsEntry("name", "lifeline-test");
    }

    @Test
    void adminKeysReachTheDropletOnlyThroughCloudInitSoAKeyAlreadyInTheAccountIsNoConflict() {
        // The admin's usual ~/.ssh/id_ed25519.pub is most likely in the DigitalOcean account already, where a
        // second registration is refused with 422; a second admin key and a reordered list must not matter.
        String second = TestKeys.ed25519("admin@desktop").publicLine();
        String first = TestKeys.ed25519("admin@laptop").publicLine();
        MockedStack stack = MockedStack.run(onDigitalOcean().json("adminKeys", List.of(second, first)));

        assertThat(stack.cloud().created(SSH_KEY)).as("no key is registered in the account").isEmpty();
        assertThat(stack.cloud().one(DROPLET).inputs()).doesNotContainKey("sshKeys");
        OutputData<?> userData = MockedStack.input(stack.constructedAs(stack.one(Droplet.class)), "userData");
        assertThat((String) userData.getValueNullable()).contains(second, first);
    }

    @Test
    void monitoringIsOffBecauseItsAgentCouldNotReachTheMetadataServiceThatNftablesKeepsToRoot() {
        MockedStack stack = MockedStack.run(onDigitalOcean());
        OutputData<?> userData = MockedStack.input(stack.constructedAs(stack.one(Droplet.class)), "userData");

        // The reason, as rendered: only root passes the metadata rule, and do-agent runs as do-agent.
        assertThat((String) userData.getValueNullable()).contains("ip daddr 169.254.169.254 meta skuid != 0 counter reject");
        assertThat(stack.cloud().one(DROPLET).inputs()).containsEntry("monitoring", false);
    }

    @Test
    void aStackNameNoCloudTakesIsMadeOneHostNameForTheDropletTheFirewallTheTagAndTheHost() {
        MockedStack stack = MockedStack.run(onDigitalOcean().named("Prod_EU.2"));
        CloudMocks cloud = stack.cloud();

        // DigitalOcean refuses '_' in a firewall name and makes the droplet's name its hostname.
        assertThat(cloud.one(DROPLET).inputs()).containsEntry("name", "lifeline-prod-eu-2")
                .containsEntry("tags", List.of("lifeline", "lifeline-prod-eu-2"));
        assertThat(cloud.one(FIREWALL).inputs()).containsEntry("name", "lifeline-prod-eu-2");
        OutputData<?> userData = MockedStack.input(stack.constructedAs(stack.one(Droplet.class)), "userData");
        assertThat((String) userData.getValueNullable()).contains("\nhostname: lifeline-prod-eu-2\n");
    }

    @Test
    void reservedIpInTheRegionIsAssignedToTheDroplet() {
        CloudMocks cloud = MockedStack.run(onDigitalOcean()).cloud();

        assertThat(cloud.one("digitalocean:index/reservedIp:ReservedIp").inputs()).containsEntry("region", "fra1");
        assertThat(cloud.one("digitalocean:index/reservedIpAssignment:ReservedIpAssignment").inputs())
                .containsEntry("ipAddress", CloudMocks.RESERVED_IP)
                .containsEntry("dropletId", Double.valueOf(CloudMocks.DROPLET_ID));
    }

    @Test
    void userDataIsASecretHoldingTheRenderedHardening() {
        MockedStack stack = MockedStack.run(onDigitalOcean());

        OutputData<?> userData = MockedStack.input(stack.constructedAs(stack.one(Droplet.class)), "userData");

        assertThat(userData.isSecret()).as("user-data carries the host key and the Twilio token").isTrue();
        assertThat((String) userData.getValueNullable())
                .startsWith("#cloud-config")
                .contains("PermitListen 127.0.0.1:29000", "AllowUsers admin tunnel1 tunnel2", "pam_exec");
    }

    @Test
    void everyDigitalOceanResourceIsAChildOfTheComponentAndPinsTheProviderVersion() {
        MockedStack stack = MockedStack.run(onDigitalOcean());
        DigitalOceanBastion bastion = stack.one(DigitalOceanBastion.class);

        List<Constructed> children = stack.constructed().stream()
                .filter(c -> !(c.resource() instanceof ComponentResource)).toList();

        assertThat(children).extracting(c -> c.resource().pulumiResourceType()).containsExactlyInAnyOrder(
                DROPLET, FIREWALL, "digitalocean:index/reservedIp:ReservedIp",
                "digitalocean:index/reservedIpAssignment:ReservedIpAssignment");
        assertThat(children).allSatisfy(c -> {
            assertThat(c.options().getParent()).as("parent of %s", c.resource().pulumiResourceName()).containsSame(bastion);
            assertThat(c.options().getVersion()).as("version of %s", c.resource().pulumiResourceName())
                    .contains("4.84.1");
        });
    }

    @Test
    void stackOutputsNameTheDropletAndTheReservedIp() {
        MockedStack stack = MockedStack.run(onDigitalOcean());

        assertThat(stack.output("provider")).isEqualTo("digitalocean");
        assertThat(stack.output("region")).isEqualTo("fra1");
        assertThat(stack.output("instanceId")).isEqualTo(CloudMocks.DROPLET_ID);
        assertThat(stack.output("publicIp")).isEqualTo(CloudMocks.RESERVED_IP);
        assertThat(stack.output("sshPort")).isEqualTo(47022);
        assertThat(stack.output("adminUser")).isEqualTo("admin");
        assertThat((String) stack.output("knownHostsLine")).startsWith("[" + CloudMocks.RESERVED_IP + "]:47022 ssh-ed25519 ");
        assertThat((String) stack.output("hostKeyPublic")).startsWith("ssh-ed25519 AAAA");
        assertThat(stack.output("tunnelPorts")).isEqualTo(Map.of("tunnel1", 29000, "tunnel2", 39000));
        assertThat(stack.hasOutput("supervisorAccessKeyId")).as("no key: a DigitalOcean token is made by hand (README)").isFalse();
        assertThat(stack.hasOutput("supervisorSecretAccessKey")).isFalse();
    }

    private static List<Map<String, Object>> inboundOf(MockedStack stack) {
        return listOfMaps(stack.cloud().one(FIREWALL).inputs().get("inboundRules"));
    }

    private static Set<String> portRanges(List<Map<String, Object>> rules) {
        return rules.stream().map(r -> (String) r.get("portRange")).collect(Collectors.toSet());
    }
}
