package dev.lifeline.provision.digitalocean;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;

import dev.lifeline.provision.digitalocean.args.FirewallArgs;

/** A DigitalOcean cloud firewall: traffic it does not list never reaches the droplets behind it. */
@ResourceType(type = Firewall.TYPE, version = DigitalOceanPlugin.VERSION)
public class Firewall extends CustomResource {
    public static final String TYPE = "digitalocean:index/firewall:Firewall";

    @Export(name = "name", refs = {String.class}, tree = "[0]")
    private Output<String> name;

    /** "waiting", "succeeded" or "failed": whether the rules are in force yet. */
    @Export(name = "status", refs = {String.class}, tree = "[0]")
    private Output<String> status;

    public Firewall(String name, FirewallArgs args, CustomResourceOptions options) {
        super(TYPE, name, args, DigitalOceanPlugin.pinned(options));
    }

    public Output<String> name() {
        return name;
    }

    public Output<String> status() {
        return status;
    }
}
