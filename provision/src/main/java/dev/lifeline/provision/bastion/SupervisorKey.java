package dev.lifeline.provision.bastion;

import com.pulumi.core.Output;

/**
 * The home supervisor's own cloud key, made by {@code pulumi up}: what {@code lifeline import} installs as the service
 * user's credentials. The secret half is a secret output, shown only with {@code --show-secrets}.
 */
public record SupervisorKey(Output<String> accessKeyId, Output<String> secretAccessKey) {
}
