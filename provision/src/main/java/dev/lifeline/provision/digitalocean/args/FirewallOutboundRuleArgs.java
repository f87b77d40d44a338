package dev.lifeline.provision.digitalocean.args;

import java.util.List;
import java.util.Objects;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

/** One {@code outboundRules} entry of a DigitalOcean firewall: traffic the droplet may send. */
public final class FirewallOutboundRuleArgs extends ResourceArgs {

    @Import(name = "protocol", required = true)
    private Output<String> protocol;

    /** Required for tcp and udp, absent for icmp. */
    @Import(name = "portRange")
    private Output<String> portRange;

    @Import(name = "destinationAddresses")
    private Output<List<String>> destinationAddresses;

    private FirewallOutboundRuleArgs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final FirewallOutboundRuleArgs args = new FirewallOutboundRuleArgs();

        public Builder protocol(String protocol) {
            args.protocol = Output.of(protocol);
            return this;
        }

        public Builder portRange(String portRange) {
            args.portRange = Output.of(portRange);
            return this;
        }

        public Builder destinationAddresses(List<String> destinationAddresses) {
            args.destinationAddresses = Output.of(List.copyOf(destinationAddresses));
            return this;
        }

        public FirewallOutboundRuleArgs build() {
            Objects.requireNonNull(args.protocol, "FirewallOutboundRuleArgs.protocol is required");
            return args;
        }
    }
}
