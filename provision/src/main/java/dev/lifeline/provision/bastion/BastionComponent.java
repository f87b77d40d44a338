package dev.lifeline.provision.bastion;

import java.util.Map;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;

import dev.lifeline.provision.bastion.args.BastionArgs;
import dev.lifeline.templates.spec.BastionSpec;

/**
 * The one shape every provider's bastion has: built from {@link BastionArgs} under its own type token, every child
 * parented to it, and the same two outputs registered at the end — so the stack's exports never depend on which
 * cloud it is. A provider's constructor creates its resources and finishes with {@link #registerBastionOutputs}.
 */
public abstract class BastionComponent extends ComponentResource implements Bastion {
    @Export(name = "instanceId", refs = {String.class}, tree = "[0]")
    private Output<String> instanceId;

    @Export(name = "publicIp", refs = {String.class}, tree = "[0]")
    private Output<String> publicIp;

    protected final BastionSpec spec;
    /** The Pulumi names of the children (URNs): see {@link BastionArgs#baseName()}. */
    protected final String baseName;
    /** The name the cloud and the host show: see {@link BastionArgs#name()}. */
    protected final String cloudName;

    protected BastionComponent(String type, String name, BastionArgs args, ComponentResourceOptions options) {
        super(type, name, options);
        this.spec = args.spec();
        this.baseName = args.baseName();
        this.cloudName = args.name();
    }

    /** The last step of every provider's constructor. */
    protected final void registerBastionOutputs(Output<String> instanceId, Output<String> publicIp) {
        this.instanceId = instanceId;
        this.publicIp = publicIp;
        registerOutputs(Map.of("instanceId", instanceId, "publicIp", publicIp));
    }

    @Override
    public final Output<String> instanceId() {
        return instanceId;
    }

    @Override
    public final Output<String> publicIp() {
        return publicIp;
    }
}
