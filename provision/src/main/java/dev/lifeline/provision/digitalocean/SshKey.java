package dev.lifeline.provision.digitalocean;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;

import dev.lifeline.provision.digitalocean.args.SshKeyArgs;

/** A public key in the DigitalOcean account; droplets name the keys they accept by fingerprint. */
@ResourceType(type = SshKey.TYPE, version = DigitalOceanPlugin.VERSION)
public class SshKey extends CustomResource {
    public static final String TYPE = "digitalocean:index/sshKey:SshKey";

    /** The MD5 fingerprint DigitalOcean computes, e.g. 3b:16:bf:…. */
    @Export(name = "fingerprint", refs = {String.class}, tree = "[0]")
    private Output<String> fingerprint;

    @Export(name = "name", refs = {String.class}, tree = "[0]")
    private Output<String> name;

    @Export(name = "publicKey", refs = {String.class}, tree = "[0]")
    private Output<String> publicKey;

    public SshKey(String name, SshKeyArgs args, CustomResourceOptions options) {
        super(TYPE, name, args, DigitalOceanPlugin.pinned(options));
    }

    public Output<String> fingerprint() {
        return fingerprint;
    }

    public Output<String> name() {
        return name;
    }

    public Output<String> publicKey() {
        return publicKey;
    }
}
