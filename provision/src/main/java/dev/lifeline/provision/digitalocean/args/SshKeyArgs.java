package dev.lifeline.provision.digitalocean.args;

import java.util.Objects;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

/** The inputs of {@code digitalocean:index/sshKey:SshKey}. */
public final class SshKeyArgs extends ResourceArgs {

    @Import(name = "name")
    private Output<String> name;

    @Import(name = "publicKey", required = true)
    private Output<String> publicKey;

    private SshKeyArgs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final SshKeyArgs args = new SshKeyArgs();

        public Builder name(String name) {
            args.name = Output.of(name);
            return this;
        }

        public Builder publicKey(String publicKey) {
            args.publicKey = Output.of(publicKey);
            return this;
        }

        public SshKeyArgs build() {
            Objects.requireNonNull(args.publicKey, "SshKeyArgs.publicKey is required");
            return args;
        }
    }
}
