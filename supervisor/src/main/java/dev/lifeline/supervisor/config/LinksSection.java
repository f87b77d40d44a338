package dev.lifeline.supervisor.config;

/** {@code links:}: the primary line is tracked for outages; the backup line is checked for health. Either may be left out. */
public record LinksSection(PrimaryLinkConfig primary, BackupLinkConfig backup) {
}
