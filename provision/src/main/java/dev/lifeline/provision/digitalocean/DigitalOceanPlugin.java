package dev.lifeline.provision.digitalocean;

import com.pulumi.resources.CustomResourceOptions;

/**
 * The DigitalOcean resource provider these hand-written resources talk to. The generated Java SDK
 * (com.pulumi:digitalocean) is not in our registry, so the resources here speak the provider's real type
 * tokens and property names themselves, and pin the plugin version the SDK would have pinned.
 */
public final class DigitalOceanPlugin {
    /**
     * pulumi-digitalocean 4.84.1: the newest release published on PyPI
     * (pypi.org/project/pulumi-digitalocean/4.84.1) when this was written; every resource and property used
     * here (droplet, firewall, reservedIp, reservedIpAssignment) exists unchanged across 4.x, with the
     * property names of the provider's schema.json.
     * <p>
     * Deliberately no plugin.json beside these classes: one would make every {@code pulumi up} install this
     * plugin, AWS stacks too, and block them when it cannot be fetched. The engine installs it on demand
     * when the first DigitalOcean resource registers with this version (see provision/pom.xml, the shade
     * filter, for the AWS side; ProgramPluginsIT checks the jar).
     */
    public static final String VERSION = "4.84.1";

    private DigitalOceanPlugin() {
    }

    /** The caller's options (may be null) with the plugin version pinned: unpinned, the engine takes any it has. */
    static CustomResourceOptions pinned(CustomResourceOptions options) {
        return CustomResourceOptions.merge(CustomResourceOptions.builder().version(VERSION).build(), options);
    }
}
