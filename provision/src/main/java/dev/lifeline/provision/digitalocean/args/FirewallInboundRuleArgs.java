package dev.lifeline.provision.digitalocean.args;

import java.util.List;
import java.util.Objects;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

/** One {@code inboundRules} entry of a DigitalOcean firewall: traffic it admits, by protocol, ports and source. */
public final class FirewallInboundRuleArgs extends ResourceArgs {

    @Import(name = "protocol", required = true)
    private Output<String> protocol;

    /** "22", "8000-9000" or "1-65535"; required for tcp and udp. */
    @Import(name = "portRange")
    private Output<String> portRange;

    @Import(name = "sourceAddresses")
    private Output<List<String>> sourceAddresses;

    private FirewallInboundRuleArgs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final FirewallInboundRuleArgs args = new FirewallInboundRuleArgs();

        public Builder protocol(String protocol) {
            args.protocol = Output.of(protocol);
            return this;
        }

        public Builder portRange(String portRange) {
            args.portRange = Output.of(portRange);
            return this;
        }

        public Builder sourceAddresses(List<String> sourceAddresses) {
            args.sourceAddresses = Output.of(List.copyOf(sourceAddresses));
            return this;
        }

        public FirewallInboundRuleArgs build() {
            Objects.requireNonNull(args.protocol, "FirewallInboundRuleArgs.protocol is required");
            return args;
        }
    }
}
