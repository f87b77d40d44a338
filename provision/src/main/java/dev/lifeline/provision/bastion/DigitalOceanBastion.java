package dev.lifeline.provision.bastion;

import java.util.List;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;

import dev.lifeline.provision.bastion.args.BastionArgs;
import dev.lifeline.provision.digitalocean.Droplet;
import dev.lifeline.provision.digitalocean.Firewall;
import dev.lifeline.provision.digitalocean.ReservedIp;
import dev.lifeline.provision.digitalocean.ReservedIpAssignment;
import dev.lifeline.provision.digitalocean.args.DropletArgs;
import dev.lifeline.provision.digitalocean.args.FirewallArgs;
import dev.lifeline.provision.digitalocean.args.FirewallInboundRuleArgs;
import dev.lifeline.provision.digitalocean.args.FirewallOutboundRuleArgs;
import dev.lifeline.provision.digitalocean.args.ReservedIpArgs;
import dev.lifeline.provision.digitalocean.args.ReservedIpAssignmentArgs;

/**
 * The bastion on DigitalOcean: a Debian droplet, a cloud firewall that admits only
 * {@link InboundRules}, and a reserved IP that stays put while droplets come and go.
 * <p>
 * Billing: DigitalOcean bills a powered-off droplet exactly like a running one (its disk, CPU and address
 * stay reserved). "Stopping" the bastion here saves nothing; only destroying the droplet does, which is why
 * the address lives in its own resource and survives that.
 */
public final class DigitalOceanBastion extends BastionComponent {
    public static final String TYPE = "lifeline:index:DigitalOceanBastion";
    private static final List<String> ANYWHERE = List.of("0.0.0.0/0", "::/0");
    private static final String ALL_PORTS = "1-65535";


    public DigitalOceanBastion(String name, BastionArgs args) {
        this(name, args, ComponentResourceOptions.Empty);
    }

    public DigitalOceanBastion(String name, BastionArgs args, ComponentResourceOptions options) {
        super(TYPE, name, args, options);
        Droplet droplet = droplet(args.userData());
        // The provider's droplet ids are numbers; Pulumi hands every resource id over as text.
        Output<Integer> dropletId = droplet.id().applyValue(Integer::valueOf);
        firewall(dropletId);
        ReservedIp address = new ReservedIp(baseName + "-ip", ReservedIpArgs.builder()
                .region(spec.region())
                .build(), childOptions());
        new ReservedIpAssignment(baseName + "-ip-assign", ReservedIpAssignmentArgs.builder()
                .ipAddress(address.ipAddress())
                .dropletId(dropletId)
                .build(), childOptions());
        registerBastionOutputs(droplet.id(), address.ipAddress());
    }

    private CustomResourceOptions childOptions() {
        return CustomResourceOptions.builder().parent(this).build();
    }

    /**
     * No {@code sshKeys}, and no {@code SshKey} resources: the keys that open the bastion arrive through
     * cloud-init (sshd reads only /etc/ssh/authorized_keys/%u), so registering them in the account bought
     * nothing and broke things — DigitalOcean refuses a key already in the account (422 "SSH Key is already
     * in use on your account", the usual case for ~/.ssh/id_ed25519.pub), and keys named by list position
     * collide on a reorder. Looking up keys already in the account instead would tie the droplet to the
     * account's key list, and {@code sshKeys} replaces the droplet whenever it changes.
     * <p>
     * The price: a droplet created without keys gets a root password by mail. It opens nothing here: root
     * may not log in over SSH (disable_root, sshd's AllowUsers) and sshd takes no passwords at all; it only
     * works on DigitalOcean's recovery console, which needs the account anyway.
     * <p>
     * {@code monitoring} is off: DigitalOcean's do-agent, which it installs (adding DigitalOcean's apt
     * repository), runs as its own user {@code do-agent} (its package's do-agent.service) and needs the
     * metadata service, which the bastion's nftables rules keep to root because it hands out the user-data
     * with the host key and the Twilio token. Letting do-agent through would let any code running as it read
     * those secrets; left on, the agent would be silently dead. The droplet's graphs for CPU, disk I/O and
     * bandwidth come from the hypervisor and stay; memory and disk-usage graphs and alert policies need the
     * agent and are not there.
     */
    private Droplet droplet(Output<String> userData) {
        return new Droplet(baseName, DropletArgs.builder()
                // DigitalOcean makes the droplet's name its hostname: the same name cloud-init sets.
                .name(cloudName)
                .image(spec.image())
                .region(spec.region())
                .size(spec.size())
                .userData(userData)
                .ipv6(true)
                .monitoring(false)
                .tags(List.of("lifeline", cloudName))
                .build(), childOptions());
    }

    private void firewall(Output<Integer> dropletId) {
        List<FirewallInboundRuleArgs> inbound = InboundRules.of(spec).stream()
                .map(rule -> FirewallInboundRuleArgs.builder()
                        .protocol("tcp")
                        .portRange(String.valueOf(rule.port()))
                        .sourceAddresses(rule.all())
                        .build())
                .toList();
        List<FirewallOutboundRuleArgs> outbound = List.of(
                FirewallOutboundRuleArgs.builder().protocol("tcp").portRange(ALL_PORTS)
                        .destinationAddresses(ANYWHERE).build(),
                FirewallOutboundRuleArgs.builder().protocol("udp").portRange(ALL_PORTS)
                        .destinationAddresses(ANYWHERE).build(),
                FirewallOutboundRuleArgs.builder().protocol("icmp")
                        .destinationAddresses(ANYWHERE).build());
        new Firewall(baseName + "-fw", FirewallArgs.builder()
                .name(cloudName)
                .dropletIds(dropletId.applyValue(List::of))
                .inboundRules(inbound)
                .outboundRules(outbound)
                .build(), childOptions());
    }

}
