package dev.lifeline.provision.digitalocean;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;

import dev.lifeline.provision.digitalocean.args.DropletArgs;

/**
 * A DigitalOcean droplet. Mind the billing rule: a powered-off droplet is billed like a running one,
 * because its disk, CPU and address stay reserved; only destroying it stops the charge.
 */
@ResourceType(type = Droplet.TYPE, version = DigitalOceanPlugin.VERSION)
public class Droplet extends CustomResource {
    public static final String TYPE = "digitalocean:index/droplet:Droplet";

    @Export(name = "ipv4Address", refs = {String.class}, tree = "[0]")
    private Output<String> ipv4Address;

    @Export(name = "ipv6Address", refs = {String.class}, tree = "[0]")
    private Output<String> ipv6Address;

    /** The droplet's DigitalOcean URN (do:droplet:…), not the Pulumi URN. */
    @Export(name = "dropletUrn", refs = {String.class}, tree = "[0]")
    private Output<String> dropletUrn;

    @Export(name = "status", refs = {String.class}, tree = "[0]")
    private Output<String> status;

    @Export(name = "region", refs = {String.class}, tree = "[0]")
    private Output<String> region;

    public Droplet(String name, DropletArgs args, CustomResourceOptions options) {
        super(TYPE, name, args, DigitalOceanPlugin.pinned(options));
    }

    public Output<String> ipv4Address() {
        return ipv4Address;
    }

    public Output<String> ipv6Address() {
        return ipv6Address;
    }

    public Output<String> dropletUrn() {
        return dropletUrn;
    }

    public Output<String> status() {
        return status;
    }

    public Output<String> region() {
        return region;
    }
}
