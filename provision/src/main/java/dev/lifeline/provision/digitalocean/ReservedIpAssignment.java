package dev.lifeline.provision.digitalocean;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;

import dev.lifeline.provision.digitalocean.args.ReservedIpAssignmentArgs;

/** Points a reserved IP at a droplet; replacing the droplet replaces only this, never the address. */
@ResourceType(type = ReservedIpAssignment.TYPE, version = DigitalOceanPlugin.VERSION)
public class ReservedIpAssignment extends CustomResource {
    public static final String TYPE = "digitalocean:index/reservedIpAssignment:ReservedIpAssignment";

    @Export(name = "dropletId", refs = {Integer.class}, tree = "[0]")
    private Output<Integer> dropletId;

    @Export(name = "ipAddress", refs = {String.class}, tree = "[0]")
    private Output<String> ipAddress;

    public ReservedIpAssignment(String name, ReservedIpAssignmentArgs args, CustomResourceOptions options) {
        super(TYPE, name, args, DigitalOceanPlugin.pinned(options));
    }

    public Output<Integer> dropletId() {
        return dropletId;
    }

    public Output<String> ipAddress() {
        return ipAddress;
    }
}
