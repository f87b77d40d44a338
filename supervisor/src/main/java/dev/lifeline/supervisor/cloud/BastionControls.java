package dev.lifeline.supervisor.cloud;

import dev.lifeline.supervisor.jars.OnDemandJars;

/** Picks the {@link BastionControl} for the configured provider. */
public final class BastionControls {
    private BastionControls() {
    }

    public static BastionControl forConfig(BastionConfig cfg) {
        return forConfig(cfg, CloudSettings.DEFAULTS, LocalHooks.NONE);
    }

    public static BastionControl forConfig(BastionConfig cfg, CloudSettings settings) {
        return forConfig(cfg, settings, LocalHooks.NONE);
    }

    /**
     * @throws dev.lifeline.supervisor.settings.ConfigException when the provider's own files are wrong (a token file
     *                                                        others can read)
     */
    public static BastionControl forConfig(BastionConfig cfg, CloudSettings settings, LocalHooks hooks) {
        return switch (cfg.provider()) {
            case AWS -> {
                OnDemandJars.need(OnDemandJars.Library.AWS);
                yield new AwsBastionControl(cfg.aws(), settings);
            }
            case DIGITALOCEAN -> {
                OnDemandJars.need(OnDemandJars.Library.DIGITALOCEAN);
                yield new DigitalOceanBastionControl(cfg.digitalocean(), settings);
            }
            case LOCAL -> new LocalBastionControl(cfg.host(), cfg.port(), settings, hooks);
        };
    }
}
