package dev.lifeline.provision.bastion;

import com.pulumi.core.Output;

/** What any provider's bastion gives the stack outputs: the machine to start and stop, and where it answers. */
public interface Bastion {

    /** The provider's id of the VM: an EC2 instance id or a droplet id. */
    Output<String> instanceId();

    /** The address that survives stop/start: the Elastic IP or the reserved IP. */
    Output<String> publicIp();
}
