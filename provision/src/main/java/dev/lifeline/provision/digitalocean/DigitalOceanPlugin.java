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
     * here (droplet, firewall, reservedIp, reservedIpAssignment) exists unchanged across 4.x.
     * Keep in step with src/main/resources/com/lifeline/digitalocean/plugin.json, which tells
     * {@code pulumi up} to install this plugin before the program runs.
     */
    public static final String VERSION = "4.84.1";

    private DigitalOceanPlugin() {
    }

    /** The caller's options (may be null) with the plugin version pinned: unpinned, the engine takes any it has. */
    static CustomResourceOptions pinned(CustomResourceOptions options) {
        return CustomResourceOptions.merge(CustomResourceOptions.builder().version(VERSION).build(), options);
    }
}
