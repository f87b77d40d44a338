package dev.lifeline.provision.digitalocean.args;

import java.util.Objects;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

/** The inputs of {@code digitalocean:index/reservedIpAssignment:ReservedIpAssignment}. */
public final class ReservedIpAssignmentArgs extends ResourceArgs {

    @Import(name = "dropletId", required = true)
    private Output<Integer> dropletId;

    @Import(name = "ipAddress", required = true)
    private Output<String> ipAddress;

    private ReservedIpAssignmentArgs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final ReservedIpAssignmentArgs args = new ReservedIpAssignmentArgs();

        public Builder dropletId(Output<Integer> dropletId) {
            args.dropletId = dropletId;
            return this;
        }

        public Builder ipAddress(Output<String> ipAddress) {
            args.ipAddress = ipAddress;
            return this;
        }

        public ReservedIpAssignmentArgs build() {
            Objects.requireNonNull(args.dropletId, "ReservedIpAssignmentArgs.dropletId is required");
            Objects.requireNonNull(args.ipAddress, "ReservedIpAssignmentArgs.ipAddress is required");
            return args;
        }
    }
}
