package dev.lifeline.provision.digitalocean.args;

import java.util.List;
import java.util.Objects;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

/** The inputs of {@code digitalocean:index/droplet:Droplet} that the bastion sets. */
public final class DropletArgs extends ResourceArgs {

    @Import(name = "image", required = true)
    private Output<String> image;

    @Import(name = "name")
    private Output<String> name;

    @Import(name = "region")
    private Output<String> region;

    @Import(name = "size", required = true)
    private Output<String> size;

    @Import(name = "userData")
    private Output<String> userData;

    @Import(name = "ipv6")
    private Output<Boolean> ipv6;

    @Import(name = "monitoring")
    private Output<Boolean> monitoring;

    @Import(name = "tags")
    private Output<List<String>> tags;

    private DropletArgs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final DropletArgs args = new DropletArgs();

        public Builder image(String image) {
            args.image = Output.of(image);
            return this;
        }

        public Builder name(String name) {
            args.name = Output.of(name);
            return this;
        }

        public Builder region(String region) {
            args.region = Output.of(region);
            return this;
        }

        public Builder size(String size) {
            args.size = Output.of(size);
            return this;
        }

        public Builder userData(Output<String> userData) {
            args.userData = userData;
            return this;
        }

        public Builder ipv6(boolean ipv6) {
            args.ipv6 = Output.of(ipv6);
            return this;
        }

        public Builder monitoring(boolean monitoring) {
            args.monitoring = Output.of(monitoring);
            return this;
        }

        public Builder tags(List<String> tags) {
            args.tags = Output.of(List.copyOf(tags));
            return this;
        }

        public DropletArgs build() {
            Objects.requireNonNull(args.image, "DropletArgs.image is required");
            Objects.requireNonNull(args.size, "DropletArgs.size is required");
            return args;
        }
    }
}
