package dev.lifeline.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.pulumi.core.internal.OutputData;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import com.pulumi.test.PulumiTest;

import dev.lifeline.provision.bastion.AwsBastion;
import dev.lifeline.provision.testing.CloudMocks;
import dev.lifeline.provision.testing.CloudMocks.Created;
import dev.lifeline.provision.testing.MockedStack;
import dev.lifeline.provision.testing.MockedStack.Constructed;
import dev.lifeline.templates.testing.TestStacks;

class AwsBastionTest {
    private static final String SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
    private static final String INSTANCE = "aws:ec2/instance:Instance";

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    @Test
    void securityGroupAdmitsOnlyTheSshPortAndTheWebFrontFromOutside() {
        MockedStack stack = MockedStack.run(TestStacks.validAws());

        List<Map<String, Object>> ingress = ingressOf(stack);

        assertThat(ingress).extracting(r -> r.get("protocol")).containsOnly("tcp");
        assertThat(portsOf(ingress)).containsExactlyInAnyOrder(47022, 80, 443);
        assertThat(ingress).allSatisfy(AwsBastionTest::opensASinglePortOtherThan22);
    }

    @Test
    void securityGroupAdmitsOnlyTheSshPortWhenTheWebFrontIsOff() {
        MockedStack stack = MockedStack.run(TestStacks.validAws().remove("web"));

        List<Map<String, Object>> ingress = ingressOf(stack);

        assertThat(portsOf(ingress)).as("no 80/443 without a web front").containsExactly(47022);
        assertThat(ingress).allSatisfy(AwsBastionTest::opensASinglePortOtherThan22);
    }

    @Test
    void sshIsReachableOnlyFromSshAllowFromWithEachAddressFamilyInItsOwnList() {
        TestStacks values = TestStacks.validAws().remove("web")
                .json("sshAllowFrom", List.of("198.51.100.0/24", "2001:db8::/32"));

        Map<String, Object> ssh = ingressOf(MockedStack.run(values)).get(0);

        assertThat(ssh.get("cidrBlocks")).isEqualTo(List.of("198.51.100.0/24"));
        assertThat(ssh.get("ipv6CidrBlocks")).isEqualTo(List.of("2001:db8::/32"));
    }

    @Test
    void securityGroupLetsTheBastionReachOutEverywhere() {
        Created group = MockedStack.run(TestStacks.validAws()).cloud().one(SECURITY_GROUP);

        assertThat(listOfMaps(group.inputs().get("egress"))).singleElement().satisfies(egress -> {
            assertThat(egress.get("protocol")).isEqualTo("-1");
            assertThat(egress.get("cidrBlocks")).isEqualTo(List.of("0.0.0.0/0"));
        });
    }

    @Test
    void instanceRequiresImdsV2AndEncryptsItsRootVolume() {
        Map<String, Object> instance = MockedStack.run(TestStacks.validAws()).cloud().one(INSTANCE).inputs();

        assertThat(map(instance.get("metadataOptions")))
                .containsEntry("httpTokens", "required")
                .containsEntry("httpEndpoint", "enabled")
                .containsEntry("httpPutResponseHopLimit", 1.0);
        assertThat(map(instance.get("rootBlockDevice")))
                .containsEntry("encrypted", true)
                .containsEntry("volumeType", "gp3")
                .containsEntry("volumeSize", 8.0);
        assertThat(instance).containsEntry("userDataReplaceOnChange", true);
    }

    @Test
    void gravitonNanoBootsThePinnedImageOnStandardCredits() {
        Map<String, Object> instance = MockedStack.run(TestStacks.validAws()).cloud().one(INSTANCE).inputs();

        assertThat(instance).containsEntry("ami", "ami-0d3b1e2a4c5f60789").containsEntry("instanceType", "t4g.nano");
        assertThat(map(instance.get("creditSpecification"))).containsEntry("cpuCredits", "standard");
    }

    @Test
    void aReleaseNameIsRefusedNamingTheNewestOfficialArm64ImageToPinBeforeAnythingIsCreated() {
        MockedStack stack = MockedStack.run(TestStacks.validAws().set("image", "debian-12"));

        assertThat(stack.configProblem().problems()).singleElement().asString()
                .startsWith("lifeline:image 'debian-12' names a release, not an image")
                .contains("pulumi config set lifeline:image " + CloudMocks.DEBIAN_AMI
                        + "  (debian-12-arm64-20250610-2137, Debian's newest arm64 image in eu-central-1)");
        Map<String, Object> lookup = stack.cloud().called(CloudMocks.GET_AMI).get(0).args();
        assertThat(lookup.get("owners")).asList().hasSize(1);
        assertThat(lookup.get("mostRecent")).isEqualTo(true);
        assertThat(filters(lookup)).containsEntry("name", List.of("debian-12-arm64-*"))
                .containsEntry("architecture", List.of("arm64"));
        assertThat(stack.cloud().created()).extracting(Created::type).as("nothing the cloud would create")
                .doesNotContain(SECURITY_GROUP, INSTANCE, "aws:ec2/eip:Eip", "aws:ec2/eipAssociation:EipAssociation");
    }

    @Test
    void nonBurstableIntelTypeLooksUpTheAmd64ImageAndGetsNoCreditSetting() {
        MockedStack lookup = MockedStack.run(TestStacks.validAws().set("size", "m7i.large").set("image", "debian-12"));
        MockedStack pinned = MockedStack.run(TestStacks.validAws().set("size", "m7i.large"));

        assertThat(filters(lookup.cloud().called(CloudMocks.GET_AMI).get(0).args()))
                .containsEntry("name", List.of("debian-12-amd64-*"))
                .containsEntry("architecture", List.of("x86_64"));
        assertThat(pinned.cloud().one(INSTANCE).inputs()).doesNotContainKey("creditSpecification");
    }

    @Test
    void aNewerDebianImageNeverReachesTheInstanceOnItsOwn() {
        // Debian publishes twice; each time the stack runs again against a cloud that answers the newer one.
        for (String newer : List.of("ami-0aaaaaaaaaaaaaaa1", "ami-0bbbbbbbbbbbbbbb2")) {
            Function<Map<String, Object>, Map<String, Object>> lookup =
                    args -> CloudMocks.debianImage(newer, "debian-12-arm64-20991231-9999");
            MockedStack pinned = MockedStack.run(TestStacks.validAws(), new CloudMocks(lookup));
            PulumiTest.cleanup();
            MockedStack release = MockedStack.run(TestStacks.validAws().set("image", "debian-12"), new CloudMocks(lookup));
            PulumiTest.cleanup();

            assertThat(pinned.cloud().one(INSTANCE).inputs()).containsEntry("ami", "ami-0d3b1e2a4c5f60789");
            assertThat(pinned.cloud().called(CloudMocks.GET_AMI)).as("a pinned stack looks nothing up").isEmpty();
            assertThat(release.cloud().created(INSTANCE)).as("an instance on whatever the lookup says today").isEmpty();
            assertThat(release.configProblem().problems()).singleElement().asString()
                    .contains("pulumi config set lifeline:image " + newer + " ");
        }
    }

    @Test
    void anExplicitAmiIsBootedAsGivenWithoutALookup() {
        MockedStack stack = MockedStack.run(TestStacks.validAws().set("image", "ami-0123456789abcdef0"));

        assertThat(stack.cloud().called(CloudMocks.GET_AMI)).isEmpty();
        assertThat(stack.cloud().one(INSTANCE).inputs()).containsEntry("ami", "ami-0123456789abcdef0");
    }

    @Test
    void elasticIpIsAssociatedWithTheInstanceSoTheAddressSurvivesStopAndStart() {
        CloudMocks cloud = MockedStack.run(TestStacks.validAws()).cloud();

        assertThat(cloud.one("aws:ec2/eip:Eip").inputs()).containsEntry("domain", "vpc");
        assertThat(cloud.one("aws:ec2/eipAssociation:EipAssociation").inputs())
                .containsEntry("instanceId", CloudMocks.INSTANCE_ID)
                .containsEntry("allocationId", CloudMocks.ALLOCATION_ID);
    }

    @Test
    void instanceIsTaggedWithItsStackAndGuardedByTheSecurityGroup() {
        CloudMocks cloud = MockedStack.run(TestStacks.validAws()).cloud();
        Map<String, Object> instance = cloud.one(INSTANCE).inputs();

        assertThat(map(instance.get("tags")))
                .containsEntry("Name", "lifeline-test")
                .containsEntry("lifeline:stack", "test");
        assertThat(instance.get("vpcSecurityGroupIds")).isEqualTo(List.of(cloud.one(SECURITY_GROUP).id()));
        assertThat(instance).as("keys come only through cloud-init, never an EC2 key pair").doesNotContainKey("keyName");
    }

    @Test
    void theNameTagIsTheHostNameWhateverTheStackIsCalled() {
        MockedStack stack = MockedStack.run(TestStacks.validAws().named("Prod_EU.2"));
        Map<String, Object> instance = stack.cloud().one(INSTANCE).inputs();

        assertThat(map(instance.get("tags"))).containsEntry("Name", "lifeline-prod-eu-2")
                .containsEntry("lifeline:stack", "Prod_EU.2");
        // CreateSecurityGroup's rule for names and descriptions, which the stack name passes as it is.
        assertThat((String) stack.cloud().one(SECURITY_GROUP).inputs().get("description"))
                .matches("[a-zA-Z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*]{1,255}");
        Constructed constructed = stack.constructedAs(stack.one(com.pulumi.aws.ec2.Instance.class));
        String userData = (String) MockedStack.input(constructed, "userDataBase64").getValueNullable();
        assertThat(gunzip(java.util.Base64.getDecoder().decode(userData))).contains("\nhostname: lifeline-prod-eu-2\n");
    }

    @Test
    void providerPinsTheStackRegion() {
        TestStacks values = TestStacks.validAws().set("region", "eu-north-1");

        Created provider = MockedStack.run(values).cloud().one("pulumi:providers:aws");

        assertThat(provider.inputs()).containsEntry("region", "eu-north-1");
    }

    @Test
    void userDataIsASecretHoldingTheRenderedHardening() {
        MockedStack stack = MockedStack.run(TestStacks.validAws());
        Constructed instance = stack.constructed().stream()
                .filter(c -> c.resource() instanceof com.pulumi.aws.ec2.Instance).findFirst().orElseThrow();

        OutputData<?> userData = MockedStack.input(instance, "userDataBase64");

        assertThat(userData.isSecret()).as("user-data carries the host key and the Twilio token").isTrue();
        byte[] gzipped = java.util.Base64.getDecoder().decode((String) userData.getValueNullable());
        assertThat(gzipped.length).as("EC2 takes at most 16 KiB of user-data").isLessThanOrEqualTo(16 * 1024);
        assertThat(gunzip(gzipped))
                .startsWith("#cloud-config")
                .contains("PermitListen 127.0.0.1:29000", "AllowUsers admin tunnel1 tunnel2", "pam_exec");
    }

    @Test
    void theInstanceBootsTheUserDataItsArgsCarryNotARenderOfItsOwn() {
        var spec = dev.lifeline.templates.stack.BastionSpecReader.read(TestStacks.validAws());
        // a user-data no renderer would make: only the args can have brought it to the instance
        var args = new dev.lifeline.provision.bastion.args.BastionArgs(spec, "#cloud-config\n# rendered once, by BastionArgs\n");
        MockedStack stack = MockedStack.run(ctx -> new AwsBastion("lifeline-test", args));
        Constructed instance = stack.constructed().stream()
                .filter(c -> c.resource() instanceof com.pulumi.aws.ec2.Instance).findFirst().orElseThrow();

        OutputData<?> userData = MockedStack.input(instance, "userDataBase64");

        assertThat(gunzip(java.util.Base64.getDecoder().decode((String) userData.getValueNullable())))
                .isEqualTo("#cloud-config\n# rendered once, by BastionArgs\n");
        assertThat(userData.isSecret()).isTrue();
        assertThat(args.toString()).as("the args never print the user-data").doesNotContain("rendered once");
    }

    private static String gunzip(byte[] data) {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new AssertionError("user-data is not gzip", e);
        }
    }

    @Test
    void everyResourceIsAChildOfTheBastionComponent() {
        MockedStack stack = MockedStack.run(TestStacks.validAws());
        AwsBastion bastion = stack.one(AwsBastion.class);

        List<Constructed> children = stack.constructed().stream()
                .filter(c -> !(c.resource() instanceof ComponentResource)).toList();

        assertThat(children).hasSizeGreaterThanOrEqualTo(5);
        assertThat(children).allSatisfy(c -> assertThat(c.options().getParent())
                .as("parent of %s", c.resource().pulumiResourceName()).containsSame(bastion));
        assertThat(typesOf(stack)).contains("pulumi:providers:aws", SECURITY_GROUP, INSTANCE,
                "aws:ec2/eip:Eip", "aws:ec2/eipAssociation:EipAssociation").doesNotContain("aws:ec2/keyPair:KeyPair");
    }

    @Test
    void everyAwsResourcePinsTheProviderVersionTheEngineInstallsOnDemand() {
        MockedStack stack = MockedStack.run(TestStacks.validAws());

        List<Constructed> aws = stack.constructed().stream()
                .filter(c -> c.resource().pulumiResourceType().startsWith("aws:")
                        || c.resource().pulumiResourceType().equals("pulumi:providers:aws"))
                .toList();

        assertThat(aws).hasSizeGreaterThanOrEqualTo(5).allSatisfy(c -> assertThat(c.options().getVersion())
                .as("version of %s", c.resource().pulumiResourceName()).contains("6.83.0"));
    }

    @Test
    void stackOutputsTellTheSupervisorEverythingItPins() {
        MockedStack stack = MockedStack.run(TestStacks.validAws());

        assertThat(stack.output("provider")).isEqualTo("aws");
        assertThat(stack.output("region")).isEqualTo("eu-central-1");
        assertThat(stack.output("instanceId")).isEqualTo(CloudMocks.INSTANCE_ID);
        assertThat(stack.output("publicIp")).isEqualTo(CloudMocks.ELASTIC_IP);
        assertThat(stack.output("sshPort")).isEqualTo(47022);
        assertThat(stack.output("adminUser")).isEqualTo("admin");
        assertThat((String) stack.output("hostKeyPublic")).startsWith("ssh-ed25519 AAAA");
        assertThat((String) stack.output("knownHostsLine"))
                .startsWith("[" + CloudMocks.ELASTIC_IP + "]:47022 ssh-ed25519 ")
                .endsWith(((String) stack.output("hostKeyPublic")).split(" ")[1]);
        assertThat(stack.output("tunnelPorts")).isEqualTo(Map.of("tunnel1", 29000, "tunnel2", 39000));
    }

    @Test
    void theSpeedTestsSecretUrlIsASecretOutputOnlyWithADomain() {
        TestStacks values = TestStacks.validAws().json("web", Map.of("domain", "home.example.com", "email", "admin@example.com"));
        MockedStack withDomain = MockedStack.run(values);

        assertThat((String) withDomain.output("speedUrl"))
                .isEqualTo("https://home.example.com" + dev.lifeline.templates.stack.BastionSpecReader.read(values).speedPath())
                .matches("https://home\\.example\\.com/lifeline/speed/[0-9a-f]{32}");
        assertThat(withDomain.isSecret("speedUrl")).as("pulumi shows it only with --show-secrets").isTrue();
        assertThat(MockedStack.run(TestStacks.validAws()).hasOutput("speedUrl")).as("self-signed: no URL the supervisor could check").isFalse();
    }

    @Test
    void theSupervisorsKeyMayStartAndStopOnlyThisInstanceAndReadInstanceStates() throws Exception {
        CloudMocks cloud = MockedStack.run(TestStacks.validAws()).cloud();
        Created user = cloud.one("aws:iam/user:User");
        Created policy = cloud.one("aws:iam/userPolicy:UserPolicy");

        var document = new com.fasterxml.jackson.databind.ObjectMapper().readTree((String) policy.inputs().get("policy"));

        assertThat(policy.inputs()).containsEntry("user", user.state().get("name"));
        assertThat(document.get("Version").asText()).isEqualTo("2012-10-17");
        assertThat(document.get("Statement")).hasSize(2);
        var startStop = document.get("Statement").get(0);
        assertThat(startStop.get("Effect").asText()).isEqualTo("Allow");
        assertThat(startStop.get("Action")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactly("ec2:StartInstances", "ec2:StopInstances");
        assertThat(startStop.get("Resource").asText()).as("the ARN the provider reported for the bastion")
                .isEqualTo(cloud.one(INSTANCE).state().get("arn")).isEqualTo(CloudMocks.INSTANCE_ARN);
        var describe = document.get("Statement").get(1);
        assertThat(describe.get("Effect").asText()).isEqualTo("Allow");
        assertThat(describe.get("Action").asText()).isEqualTo("ec2:DescribeInstances");
        assertThat(describe.get("Resource").asText()).as("Describe* takes no resource-level permission").isEqualTo("*");
        assertThat(document.toString()).doesNotContain("Deny", "NotAction", "NotResource", "Condition");
        assertThat(user.inputs()).containsEntry("path", "/lifeline/");
        assertThat(map(user.inputs().get("tags"))).containsEntry("lifeline:stack", "test");
        assertThat(cloud.created()).extracting(Created::type).as("no managed policy, group or login for the key's user")
                .doesNotContain("aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment",
                        "aws:iam/userGroupMembership:UserGroupMembership", "aws:iam/userLoginProfile:UserLoginProfile");
    }

    @Test
    void theSupervisorsAccessKeyIsAStackOutputWhoseSecretHalfIsSecret() {
        MockedStack stack = MockedStack.run(TestStacks.validAws());
        Created key = stack.cloud().one("aws:iam/accessKey:AccessKey");

        assertThat(key.inputs()).containsEntry("user", stack.cloud().one("aws:iam/user:User").state().get("name"));
        assertThat(stack.output("supervisorAccessKeyId")).isEqualTo(CloudMocks.ACCESS_KEY_ID);
        assertThat(stack.output("supervisorSecretAccessKey")).isEqualTo(CloudMocks.SECRET_ACCESS_KEY);
        assertThat(stack.isSecret("supervisorSecretAccessKey")).as("pulumi shows it only with --show-secrets").isTrue();
    }

    @Test
    void aPiWithARoleOfItsOwnGetsThePolicyOnThatRoleAndNoUserOrKey() {
        MockedStack stack = MockedStack.run(TestStacks.validAws().set("supervisorRole", "lifeline-pi"));
        CloudMocks cloud = stack.cloud();

        Created policy = cloud.one("aws:iam/rolePolicy:RolePolicy");

        assertThat(policy.inputs()).containsEntry("role", "lifeline-pi");
        assertThat((String) policy.inputs().get("policy")).as("the same document a user would get")
                .isEqualTo(dev.lifeline.provision.bastion.SupervisorPolicy.document(CloudMocks.INSTANCE_ARN));
        assertThat(cloud.created()).extracting(Created::type).as("the role is the user's; no key to hand out")
                .doesNotContain("aws:iam/user:User", "aws:iam/accessKey:AccessKey", "aws:iam/userPolicy:UserPolicy",
                        "aws:iam/role:Role");
        assertThat(stack.hasOutput("supervisorAccessKeyId")).isFalse();
        assertThat(stack.hasOutput("supervisorSecretAccessKey")).isFalse();
        assertThat(stack.constructedAs(stack.one(com.pulumi.aws.iam.RolePolicy.class)).options().getParent())
                .containsSame(stack.one(AwsBastion.class));
    }

    @Test
    void thePolicyIsNeverWidenedForSomethingThatIsNotAnInstanceArn() {
        for (String wrong : List.of("*", "arn:aws:ec2:eu-central-1:123456789012:instance/*", "i-0a1b2c3d4e5f60718",
                "arn:aws:ec2:eu-central-1:123456789012:volume/vol-0a1b2c3d")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.lifeline.provision.bastion.SupervisorPolicy.document(wrong))
                    .as(wrong).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an EC2 instance ARN");
        }
    }

    static void opensASinglePortOtherThan22(Map<String, Object> rule) {
        assertThat(rule.get("fromPort")).as("one port per rule").isEqualTo(rule.get("toPort"));
        assertThat(((Number) rule.get("fromPort")).intValue()).as("never the scanners' favourite").isNotEqualTo(22);
    }

    private static List<Map<String, Object>> ingressOf(MockedStack stack) {
        return listOfMaps(stack.cloud().one(SECURITY_GROUP).inputs().get("ingress"));
    }

    private static Set<Integer> portsOf(List<Map<String, Object>> rules) {
        return rules.stream().map(r -> ((Number) r.get("fromPort")).intValue()).collect(Collectors.toSet());
    }

    private static Map<String, Object> filters(Map<String, Object> lookup) {
        return listOfMaps(lookup.get("filters")).stream()
                .collect(Collectors.toMap(f -> (String) f.get("name"), f -> f.get("values")));
    }

    private static Set<String> typesOf(MockedStack stack) {
        return stack.constructed().stream().map(Constructed::resource).map(Resource::pulumiResourceType)
                .collect(Collectors.toSet());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> listOfMaps(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }
}
