package dev.lifeline.supervisor.cloud;

import dev.lifeline.supervisor.settings.Words;

/** {@code bastion.provider}: whose API starts and stops the bastion ({@code local}: a hand-built one, tunnels only). */
public enum BastionProvider {
    AWS, DIGITALOCEAN, LOCAL;

    /** As written in the config: aws, digitalocean or local. */
    public String word() {
        return Words.of(this);
    }
}
