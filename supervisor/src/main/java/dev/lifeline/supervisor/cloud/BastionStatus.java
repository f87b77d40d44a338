package dev.lifeline.supervisor.cloud;

/**
 * The bastion as the cloud reports it right now.
 *
 * @param id       the instance or droplet id
 * @param state    normalised across providers
 * @param publicIp the address clients use, or null when the provider reports none
 * @param detail   the provider's own word for the state ("pending", "off", …)
 */
public record BastionStatus(String id, State state, String publicIp, String detail) {

    public enum State {
        RUNNING, STARTING, STOPPING, STOPPED,
        /** deleted, terminated or not found: nothing to start */
        GONE,
        /** the provider answered something we do not know */
        UNKNOWN;

        /** Running or on its way there: a start now would be a second start. */
        public boolean isOnOrComing() {
            return this == RUNNING || this == STARTING;
        }

        public boolean isOffOrGoing() {
            return this == STOPPED || this == STOPPING;
        }
    }
}
