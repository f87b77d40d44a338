package dev.lifeline.provision.bastion.args;

import java.util.Objects;

import com.pulumi.core.Output;

import dev.lifeline.templates.render.CloudConfig;
import dev.lifeline.templates.spec.BastionSpec;

/**
 * What a bastion component is built from: the validated spec and the cloud-init user-data rendered from it, once,
 * for whichever provider (DigitalOcean takes the text, EC2 the same text gzipped: see {@link #userDataGzipBase64()}).
 * The user-data carries the host's private key and the Twilio token, so it only ever leaves here as a secret output:
 * Pulumi then encrypts it in the state and masks it in every diff.
 */
public record BastionArgs(BastionSpec spec, String renderedUserData) {

    public BastionArgs {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(renderedUserData, "renderedUserData");
    }

    public static BastionArgs of(BastionSpec spec) {
        return new BastionArgs(spec, CloudConfig.userData(spec));
    }

    /** The user-data as text, as DigitalOcean takes it. */
    public Output<String> userData() {
        return Output.ofSecret(renderedUserData);
    }

    /** The same user-data gzipped and base64-encoded, as EC2's userDataBase64 takes it (it is over 16 KiB raw). */
    public Output<String> userDataGzipBase64() {
        return Output.ofSecret(CloudConfig.gzipBase64(renderedUserData));
    }

    @Override
    public String toString() {
        // the record's own toString would print the user-data, host key and token included
        return "BastionArgs[" + spec.stackName() + ", user-data " + renderedUserData.length() + " characters]";
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
