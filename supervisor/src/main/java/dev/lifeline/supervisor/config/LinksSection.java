package dev.lifeline.supervisor.config;

import java.util.List;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.link.BackupLinkConfig;
import dev.lifeline.supervisor.link.PrimaryLinkConfig;
import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.settings.StartupChecks;

/** {@code links:}: the primary line is tracked for outages; the backup line is checked for health. Either may be left out. */
public record LinksSection(PrimaryLinkConfig primary, BackupLinkConfig backup) {
    @JsonCreator
    static LinksSection read(@JsonProperty("primary") PrimaryLinkConfig primary, @JsonProperty("backup") BackupLinkConfig backup,
                             @JacksonInject StartupChecks checks) {
        if (primary != null) {
            ConfigValueException.check(List.of("primary", "bind"), () -> checks.bind(primary.bind()));
        }
        if (backup != null) {
            ConfigValueException.check(List.of("backup", "bind"), () -> checks.bind(backup.bind()));
        }
        return new LinksSection(primary, backup);
    }
}
