package dev.lifeline.provision.digitalocean;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;

import dev.lifeline.provision.digitalocean.args.ReservedIpArgs;

/** A reserved IPv4 address: it outlives any droplet it points at, so the supervisor's pinned address holds. */
@ResourceType(type = ReservedIp.TYPE, version = DigitalOceanPlugin.VERSION)
public class ReservedIp extends CustomResource {
    public static final String TYPE = "digitalocean:index/reservedIp:ReservedIp";

    @Export(name = "ipAddress", refs = {String.class}, tree = "[0]")
    private Output<String> ipAddress;

    @Export(name = "region", refs = {String.class}, tree = "[0]")
    private Output<String> region;

    @Export(name = "reservedIpUrn", refs = {String.class}, tree = "[0]")
    private Output<String> reservedIpUrn;

    public ReservedIp(String name, ReservedIpArgs args, CustomResourceOptions options) {
        super(TYPE, name, args, DigitalOceanPlugin.pinned(options));
    }

    public Output<String> ipAddress() {
        return ipAddress;
    }

    public Output<String> region() {
        return region;
    }

    public Output<String> reservedIpUrn() {
        return reservedIpUrn;
    }
}
