package dev.lifeline.provision.digitalocean.args;

import java.util.List;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

/** The inputs of {@code digitalocean:index/firewall:Firewall}: a cloud firewall in front of listed droplets. */
public final class FirewallArgs extends ResourceArgs {

    @Import(name = "name")
    private Output<String> name;

    @Import(name = "dropletIds")
    private Output<List<Integer>> dropletIds;

    @Import(name = "inboundRules")
    private Output<List<FirewallInboundRuleArgs>> inboundRules;

    @Import(name = "outboundRules")
    private Output<List<FirewallOutboundRuleArgs>> outboundRules;

    private FirewallArgs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final FirewallArgs args = new FirewallArgs();

        public Builder name(String name) {
            args.name = Output.of(name);
            return this;
        }

        public Builder dropletIds(Output<List<Integer>> dropletIds) {
            args.dropletIds = dropletIds;
            return this;
        }

        public Builder inboundRules(List<FirewallInboundRuleArgs> inboundRules) {
            args.inboundRules = Output.of(List.copyOf(inboundRules));
            return this;
        }

        public Builder outboundRules(List<FirewallOutboundRuleArgs> outboundRules) {
            args.outboundRules = Output.of(List.copyOf(outboundRules));
            return this;
        }

        public FirewallArgs build() {
            return args;
        }
    }
}
