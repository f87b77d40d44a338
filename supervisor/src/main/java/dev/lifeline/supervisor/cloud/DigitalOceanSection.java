package dev.lifeline.supervisor.cloud;

import java.net.URI;
import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.settings.Endpoints;
import dev.lifeline.supervisor.settings.SecretFile;

/**
 * {@code bastion.digitalocean}: which droplet is the bastion, and where the API token lives (a file readable by
 * the supervisor only; the token itself never sits in this config).
 *
 * <p>The token cannot be limited to one droplet; the least it needs is a custom-scoped token with {@code droplet:read}
 * (GET /v2/droplets/ID) and {@code droplet:update} (POST /v2/droplets/ID/actions, power_on and power_off: the
 * DigitalOcean OpenAPI spec's dropletActions_post requires droplet:update, and "droplet:update lets you power a Droplet
 * on or off", DigitalOcean docs, How to Create a Personal Access Token). The control panel adds what droplet:update
 * requires: droplet:read, regions:read, sizes:read, actions:read, image:read (DigitalOcean API docs, Scopes: droplet:update).
 *
 * @param endpoint the API base URL; null: https://api.digitalocean.com (tests point it at a local stub)
 */
public record DigitalOceanSection(long dropletId, Path tokenFile, URI endpoint) {

    @JsonCreator
    public DigitalOceanSection(@JsonProperty("dropletId") Long dropletId, @JsonProperty("tokenFile") String tokenFile,
                               @JsonProperty("endpoint") String endpoint) {
        this(dropletId == null ? 0 : dropletId, tokenFile == null || tokenFile.isBlank() ? null : SecretFile.checkedToken("tokenFile", tokenFile, 1),
                Endpoints.optional("endpoint", endpoint, "https://api.digitalocean.com"));
    }

    public DigitalOceanSection {
        if (dropletId <= 0) {
            throw new ConfigValueException("dropletId", "dropletId must be the bastion droplet's number (the instanceId stack output of a DigitalOcean stack; got " + dropletId + ")");
        }
        if (tokenFile == null) {
            throw new ConfigValueException("tokenFile", "tokenFile is missing; put a DigitalOcean API token in a file only lifeline can read (chmod 600) and give its path");
        }
    }
}
