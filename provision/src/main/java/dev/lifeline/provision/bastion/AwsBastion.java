package dev.lifeline.provision.bastion;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.pulumi.aws.Provider;
import com.pulumi.aws.ProviderArgs;
import com.pulumi.aws.ec2.Eip;
import com.pulumi.aws.ec2.EipArgs;
import com.pulumi.aws.ec2.EipAssociation;
import com.pulumi.aws.ec2.EipAssociationArgs;
import com.pulumi.aws.ec2.Instance;
import com.pulumi.aws.ec2.InstanceArgs;
import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.ec2.inputs.InstanceCreditSpecificationArgs;
import com.pulumi.aws.ec2.inputs.InstanceMetadataOptionsArgs;
import com.pulumi.aws.ec2.inputs.InstanceRootBlockDeviceArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupEgressArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupIngressArgs;
import com.pulumi.aws.iam.AccessKey;
import com.pulumi.aws.iam.AccessKeyArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.iam.User;
import com.pulumi.aws.iam.UserArgs;
import com.pulumi.aws.iam.UserPolicy;
import com.pulumi.aws.iam.UserPolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;

import dev.lifeline.provision.bastion.args.BastionArgs;

/**
 * The bastion on EC2: a security group that admits only {@link InboundRules}, a hardened Debian instance and
 * an Elastic IP, all in the stack's region through an explicit provider (so no ambient AWS_REGION can move it);
 * and the home supervisor's IAM identity, whose only rights are {@link SupervisorPolicy} on this instance: a user and
 * key the stack makes, or the role the stack names ({@code lifeline:supervisorRole}) when the Pi already has one.
 */
public final class AwsBastion extends BastionComponent {
    public static final String TYPE = "lifeline:index:AwsBastion";
    private static final int ROOT_VOLUME_GIB = 8;
    private static final Pattern BURSTABLE = Pattern.compile("t\\d+[a-z]*\\.");

    private final Provider provider;
    private final Optional<SupervisorKey> supervisorKey;

    public AwsBastion(String name, BastionArgs args) {
        this(name, args, ComponentResourceOptions.Empty);
    }

    public AwsBastion(String name, BastionArgs args, ComponentResourceOptions options) {
        super(TYPE, name, args, options);
        this.provider = new Provider(baseName + "-aws", ProviderArgs.builder().region(spec.region()).build(),
                CustomResourceOptions.builder().parent(this).build());
        // First, before anything the cloud would create: a stack without a pinned image stops here.
        String ami = DebianAmi.pinned(spec, this, provider);
        SecurityGroup group = securityGroup();
        Instance instance = instance(group, ami, args.userDataGzipBase64());
        Eip address = elasticIp();
        // A separate association: replacing the instance (new user-data) moves the address, never frees it.
        new EipAssociation(baseName + "-eip-assoc", EipAssociationArgs.builder()
                .allocationId(address.allocationId())
                .instanceId(instance.id())
                .build(), childOptions());
        this.supervisorKey = spec.supervisorRole().isPresent()
                ? rolePolicy(spec.supervisorRole().get(), instance)
                : Optional.of(supervisorKey(instance));
        registerBastionOutputs(instance.id(), address.publicIp());
    }

    @Override
    public Optional<SupervisorKey> supervisorKey() {
        return supervisorKey;
    }

    private CustomResourceOptions childOptions() {
        return CustomResourceOptions.builder().parent(this).provider(provider).build();
    }

    private Map<String, String> tags() {
        return Map.of("Name", cloudName, "lifeline:stack", spec.stackName());
    }

    private SecurityGroup securityGroup() {
        List<SecurityGroupIngressArgs> ingress = InboundRules.of(spec).stream()
                .map(rule -> SecurityGroupIngressArgs.builder()
                        .description(rule.description())
                        .protocol("tcp")
                        .fromPort(rule.port())
                        .toPort(rule.port())
                        .cidrBlocks(rule.ipv4())
                        .ipv6CidrBlocks(rule.ipv6())
                        .build())
                .toList();
        // The group's name is Pulumi's auto-name of baseName + "-sg" and its description carries the stack name
        // as it is: EC2 takes both (CreateSecurityGroup: up to 255 of a-z, A-Z, 0-9, spaces and
        // ._-:/()#,@[]+=&;{}!$*, which covers every Pulumi stack name), and changing either would replace the
        // group of every existing stack, so neither goes through BastionName.
        return new SecurityGroup(baseName + "-sg", SecurityGroupArgs.builder()
                // Fixed text: EC2 replaces a group whose description changes, rules are edited in place.
                .description("lifeline bastion " + spec.stackName())
                .ingress(ingress)
                .egress(SecurityGroupEgressArgs.builder()
                        .description("updates, ACME, SMS alerts, log forwarding")
                        .protocol("-1")
                        .fromPort(0)
                        .toPort(0)
                        .cidrBlocks("0.0.0.0/0")
                        .ipv6CidrBlocks("::/0")
                        .build())
                .tags(tags())
                .build(), childOptions());
    }

    /**
     * No EC2 key pair: sshd reads keys only from /etc/ssh/authorized_keys/%u, which cloud-init writes, so a
     * launch key would be dead weight (and EC2 imports only RSA and ed25519 keys).
     */
    private Instance instance(SecurityGroup group, String ami, Output<String> userDataGzipBase64) {
        InstanceArgs.Builder instance = InstanceArgs.builder()
                // Never replaced by a newer image on its own: the AMI is the one pinned in the stack (DebianAmi).
                .ami(ami)
                .instanceType(spec.size())
                .vpcSecurityGroupIds(group.id().applyValue(List::of))
                // Gzipped: the full user-data is larger than EC2's 16 KiB limit; cloud-init reads gzip as is.
                .userDataBase64(userDataGzipBase64)
                // Host key, users and sshd config only arrive through cloud-init: an edit must boot anew.
                .userDataReplaceOnChange(true)
                .metadataOptions(InstanceMetadataOptionsArgs.builder()
                        // IMDSv2 only, one hop: a forwarded request cannot lift the instance's credentials.
                        .httpEndpoint("enabled")
                        .httpTokens("required")
                        .httpPutResponseHopLimit(1)
                        .build())
                .rootBlockDevice(InstanceRootBlockDeviceArgs.builder()
                        .encrypted(true)
                        .volumeType("gp3")
                        .volumeSize(ROOT_VOLUME_GIB)
                        .deleteOnTermination(true)
                        .build())
                .tags(tags());
        if (isBurstable(spec.size())) {
            // "standard" throttles a busy bastion instead of billing surplus credits as "unlimited" would.
            instance.creditSpecification(InstanceCreditSpecificationArgs.builder().cpuCredits("standard").build());
        }
        return new Instance(baseName, instance.build(), childOptions());
    }

    /**
     * An IAM user for the Pi (a Pi has no instance role to lean on) with an inline policy, so the user's rights live
     * and die with this stack, and one access key. The policy names the instance by the ARN the provider reports, so
     * a replaced instance gets its policy rewritten in the same update.
     */
    private SupervisorKey supervisorKey(Instance instance) {
        User user = new User(baseName + "-supervisor", UserArgs.builder()
                // A path of its own: `aws iam list-users --path-prefix /lifeline/` finds every stack's supervisor.
                .path("/lifeline/")
                .tags(tags())
                .build(), childOptions());
        new UserPolicy(baseName + "-supervisor-policy", UserPolicyArgs.builder()
                .user(user.name())
                .policy(instance.arn().applyValue(SupervisorPolicy::document))
                .build(), childOptions());
        AccessKey key = new AccessKey(baseName + "-supervisor-key", AccessKeyArgs.builder()
                .user(user.name())
                .build(), childOptions());
        // The provider marks `secret` secret already: com.pulumi:aws 6.83.0's AccessKey registers with
        // additionalSecretOutputs [secret, sesSmtpPasswordV4], generated from the provider's schema (javap of the jar;
        // the pulumi-aws repository was too large to fetch here). Said again so no mock or SDK can make it plain text.
        // The key's id (the resource id) is no secret: it names the key in CloudTrail and `aws iam list-access-keys`.
        return new SupervisorKey(key.id(), key.secret().asSecret());
    }

    /**
     * The same policy, inline on a role the user made and the Pi already assumes (IAM Roles Anywhere, say): no user and
     * no key, so nothing for {@code lifeline import} to install. The role itself is not the stack's to create or delete.
     */
    private Optional<SupervisorKey> rolePolicy(String role, Instance instance) {
        new RolePolicy(baseName + "-supervisor-policy", RolePolicyArgs.builder()
                .role(role)
                .policy(instance.arn().applyValue(SupervisorPolicy::document))
                .build(), childOptions());
        return Optional.empty();
    }

    private Eip elasticIp() {
        return new Eip(baseName + "-eip", EipArgs.builder()
                .domain("vpc")
                .tags(tags())
                .build(), childOptions());
    }

    /** t2, t3, t3a, t4g — not trn1, which merely starts with a t. */
    static boolean isBurstable(String instanceType) {
        return BURSTABLE.matcher(instanceType).lookingAt();
    }
}
