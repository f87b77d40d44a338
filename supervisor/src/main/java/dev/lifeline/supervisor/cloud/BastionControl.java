package dev.lifeline.supervisor.cloud;

import java.time.Duration;

/**
 * Starts, stops and describes the one bastion VM, whatever the provider. Implementations retry what the provider
 * says is transient (throttling, 5xx, 429 with Retry-After) and throw {@link CloudException} for the rest.
 * Calls block; the policy calls them from its own thread.
 */
public interface BastionControl extends AutoCloseable {

    /** The provider's name and the bastion's id, for logs and alerts: {@code aws i-0abc…}. */
    String describe();

    BastionStatus status();

    /** Asks the provider to start the bastion; returns when the request was accepted. A running bastion is no error. */
    void start();

    /** Asks the provider to stop the bastion; returns when the request was accepted. A stopped bastion is no error. */
    void stop();

    /**
     * Polls until the bastion is in {@code wanted}, at most {@code timeout}.
     *
     * @return the last status seen (in {@code wanted} unless the timeout passed)
     */
    BastionStatus await(BastionStatus.State wanted, Duration timeout);

    @Override
    default void close() {
    }
}
