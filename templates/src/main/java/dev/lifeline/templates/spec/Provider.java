package dev.lifeline.templates.spec;

import java.util.Locale;
import java.util.Optional;

/** Where the bastion runs, with the defaults that keep it cheap there. */
public enum Provider {
    // t4g.nano: 2 arm64 vCPU burst, 0.5 GiB — the smallest instance that runs Debian 12 comfortably.
    AWS("aws", "eu-central-1", "t4g.nano", "debian-12"),
    // s-1vcpu-512mb-10gb: DigitalOcean's smallest droplet.
    DIGITALOCEAN("digitalocean", "fra1", "s-1vcpu-512mb-10gb", "debian-12-x64");

    private final String id;
    private final String defaultRegion;
    private final String defaultSize;
    private final String defaultImage;

    Provider(String id, String defaultRegion, String defaultSize, String defaultImage) {
        this.id = id;
        this.defaultRegion = defaultRegion;
        this.defaultSize = defaultSize;
        this.defaultImage = defaultImage;
    }

    public String id() {
        return id;
    }

    public String defaultRegion() {
        return defaultRegion;
    }

    public String defaultSize() {
        return defaultSize;
    }

    public String defaultImage() {
        return defaultImage;
    }

    public static Optional<Provider> parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (Provider p : values()) {
            if (p.id.equals(wanted)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
