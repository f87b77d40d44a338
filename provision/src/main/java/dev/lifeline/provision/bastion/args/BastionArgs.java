package dev.lifeline.provision.bastion.args;

import java.util.Objects;

import com.pulumi.core.Output;

import dev.lifeline.templates.render.CloudConfig;
import dev.lifeline.templates.spec.BastionSpec;

/**
 * What a bastion component is built from: the validated spec and the cloud-init user-data rendered from it.
 * The user-data carries the host's private key and the Twilio token, so it only ever exists here as a
 * secret output: Pulumi then encrypts it in the state and masks it in every diff.
 */
public record BastionArgs(BastionSpec spec, Output<String> userData) {

    public BastionArgs {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(userData, "userData");
    }

    public static BastionArgs of(BastionSpec spec) {
        return new BastionArgs(spec, Output.ofSecret(CloudConfig.userData(spec)));
    }

    /**
     * The Pulumi names of this bastion's resources, e.g. lifeline-prod: they make the URNs, never a name a
     * cloud sees, and stay as they always were so no existing stack's resources are replaced by a rename.
     * Names a cloud or a host shows come from {@link #name()}.
     */
    public String baseName() {
        return "lifeline-" + spec.stackName();
    }

    /** The name the cloud and the host show: lower case, letters, digits and '-' only (see BastionName). */
    public String name() {
        return spec.name().value();
    }
}
