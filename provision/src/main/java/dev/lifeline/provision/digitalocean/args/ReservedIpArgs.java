package dev.lifeline.provision.digitalocean.args;

import java.util.Objects;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

/** The inputs of {@code digitalocean:index/reservedIp:ReservedIp}: an address reserved in one region. */
public final class ReservedIpArgs extends ResourceArgs {

    @Import(name = "region", required = true)
    private Output<String> region;

    private ReservedIpArgs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final ReservedIpArgs args = new ReservedIpArgs();

        public Builder region(String region) {
            args.region = Output.of(region);
            return this;
        }

        public ReservedIpArgs build() {
            Objects.requireNonNull(args.region, "ReservedIpArgs.region is required");
            return args;
        }
    }
}
