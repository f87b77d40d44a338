package dev.lifeline.supervisor.cloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.function.Function;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileProperty;

import dev.lifeline.supervisor.settings.ConfigException;

/**
 * {@code bastion.aws.credentialsFile}: an AWS shared credentials file (the format of ~/.aws/credentials, so the AWS CLI
 * reads it too: {@code AWS_SHARED_CREDENTIALS_FILE=FILE aws ec2 describe-instances}) whose {@link #PROFILE} profile
 * holds the supervisor's key. A file the config names rather than ~/.aws: {@code check-config} can check it, and no
 * environment variable (AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE) can point the service at another key. Import puts it
 * beside the config, in /etc/lifeline: the unit's ConfigurationDirectory, which ProtectSystem=strict leaves readable.
 */
public final class AwsCredentialsFile {
    public static final String PROFILE = "default";
    /** How AwsErrors tells a problem with the file from one with the network. */
    static final String MESSAGE_PREFIX = "bastion.aws.credentialsFile ";
    private static final String AGAIN = "; write it again: pulumi stack output --json --show-secrets | sudo lifeline import --config FILE";

    private AwsCredentialsFile() {
    }

    /**
     * The key, read again whenever the file was replaced: import renames a new file into place, so its inode changes
     * (and its time and size with it); a running daemon signs with the new key at its next call, no restart. Our own
     * check rather than the SDK's reload-when-modified, which compares the file's time with when it last read it and
     * was seen (1 run in 5) to keep signing with a key rotated moments after.
     */
    public static AwsCredentialsProvider provider(Path file) {
        return new Reloading(file);
    }

    /** Fails naming the file and what is missing; never a byte of the key. */
    public static void check(String key, Path file) {
        credentials(file, message -> new ConfigException(key + " " + file + " " + message + AGAIN));
    }

    private static AwsCredentials credentials(Path file, Function<String, RuntimeException> problem) {
        Profile profile;
        try {
            profile = ProfileFile.builder().content(file).type(ProfileFile.Type.CREDENTIALS).build()
                    .profile(PROFILE).orElse(null);
        } catch (RuntimeException e) {
            throw problem.apply("is not an AWS credentials file (" + e.getClass().getSimpleName() + ")");
        }
        if (profile == null) {
            throw problem.apply("has no [" + PROFILE + "] profile");
        }
        String id = property(profile, ProfileProperty.AWS_ACCESS_KEY_ID, problem);
        String secret = property(profile, ProfileProperty.AWS_SECRET_ACCESS_KEY, problem);
        return AwsBasicCredentials.create(id, secret);
    }

    private static String property(Profile profile, String name, Function<String, RuntimeException> problem) {
        return profile.property(name).map(String::strip).filter(v -> !v.isEmpty())
                .orElseThrow(() -> problem.apply("[" + PROFILE + "] has no " + name));
    }

    /** The file's identity: a renamed-in replacement differs in inode, and in time or size as well. */
    private record Version(Object fileKey, FileTime modified, long size) {
        static Version of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Version(a.fileKey(), a.lastModifiedTime(), a.size());
        }
    }

    private record Loaded(Version version, AwsCredentials credentials) {
    }

    private static final class Reloading implements AwsCredentialsProvider {
        private final Path file;
        private volatile Loaded loaded;

        Reloading(Path file) {
            this.file = file;
        }

        @Override
        public AwsCredentials resolveCredentials() {
            Version now;
            try {
                now = Version.of(file);
            } catch (IOException e) {
                throw SdkClientException.create(MESSAGE_PREFIX + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
            }
            Loaded last = loaded;
            if (last == null || !Objects.equals(last.version(), now)) {
                // read, then look again: a file replaced while being read is read once more at the next call
                last = new Loaded(now, credentials(file, message -> SdkClientException.create(MESSAGE_PREFIX + file + " " + message)));
                loaded = last;
            }
            return last.credentials();
        }

        @Override
        public String toString() {
            return "AwsCredentialsFile[" + file + "]";
        }
    }
}
