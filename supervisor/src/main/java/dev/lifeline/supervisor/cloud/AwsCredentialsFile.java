package dev.lifeline.supervisor.cloud;

import java.nio.file.Path;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSupplier;
import software.amazon.awssdk.profiles.ProfileProperty;

import dev.lifeline.supervisor.config.ConfigException;

/**
 * {@code bastion.aws.credentialsFile}: an AWS shared credentials file (the format of ~/.aws/credentials, so the AWS CLI
 * reads it too: {@code AWS_SHARED_CREDENTIALS_FILE=FILE aws ec2 describe-instances}) whose {@link #PROFILE} profile
 * holds the supervisor's key. A file the config names rather than ~/.aws: {@code check-config} can check it, and no
 * environment variable (AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE) can point the service at another key. Import puts it
 * beside the config, in /etc/lifeline: the unit's ConfigurationDirectory, which ProtectSystem=strict leaves readable.
 */
public final class AwsCredentialsFile {
    public static final String PROFILE = "default";

    private AwsCredentialsFile() {
    }

    /** Read again when the file changes, so a key a new {@code lifeline import} wrote is used without a restart. */
    public static AwsCredentialsProvider provider(Path file) {
        return ProfileCredentialsProvider.builder()
                .profileFile(ProfileFileSupplier.reloadWhenModified(file, ProfileFile.Type.CREDENTIALS))
                .profileName(PROFILE)
                .build();
    }

    /** Fails naming the file and what is missing; never a byte of the key. */
    public static void check(String key, Path file) {
        Profile profile;
        try {
            profile = ProfileFile.builder().content(file).type(ProfileFile.Type.CREDENTIALS).build()
                    .profile(PROFILE).orElse(null);
        } catch (RuntimeException e) {
            throw new ConfigException(key + " " + file + " is not an AWS credentials file (" + e.getClass().getSimpleName()
                    + "); write it again: pulumi stack output --json --show-secrets | sudo lifeline import --config FILE");
        }
        if (profile == null) {
            throw new ConfigException(key + " " + file + " has no [" + PROFILE + "] profile; write it again: "
                    + "pulumi stack output --json --show-secrets | sudo lifeline import --config FILE");
        }
        for (String property : new String[] {ProfileProperty.AWS_ACCESS_KEY_ID, ProfileProperty.AWS_SECRET_ACCESS_KEY}) {
            if (profile.property(property).filter(v -> !v.isBlank()).isEmpty()) {
                throw new ConfigException(key + " " + file + " [" + PROFILE + "] has no " + property + "; write it again: "
                        + "pulumi stack output --json --show-secrets | sudo lifeline import --config FILE");
            }
        }
    }
}
