package dev.lifeline.provision.bastion;

import java.util.Optional;

import com.pulumi.core.Output;

/** What any provider's bastion gives the stack outputs: the machine to start and stop, and where it answers. */
public interface Bastion {

    /** The provider's id of the VM: an EC2 instance id or a droplet id. */
    Output<String> instanceId();

    /** The address that survives stop/start: the Elastic IP or the reserved IP. */
    Output<String> publicIp();

    /**
     * A key limited to starting and stopping this bastion, where the provider can make one (AWS); empty where a
     * token cannot be limited to one machine (DigitalOcean: the user makes a scoped token, see the README).
     */
    default Optional<SupervisorKey> supervisorKey() {
        return Optional.empty();
    }
}
