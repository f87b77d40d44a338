package dev.lifeline.supervisor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Arrays;
import java.util.Optional;

import dev.lifeline.supervisor.state.AtomicFile;

/**
 * Puts the supervisor's key file in place for {@code lifeline import}: atomically and created 0600 ({@link AtomicFile}),
 * then, when import runs as root, handed to the service user, who must read it; run as anyone else the file stays that
 * user's. A file that already holds the same key with the right mode and owner is left alone. {@link #undo} puts back
 * what was there when the config the key belongs to could not be written.
 */
final class KeyInstall {
    private static final String PRIVATE = "rw-------";
    private static final java.util.regex.Pattern CREDENTIALS = java.util.regex.Pattern.compile("(?m)^\\s*aws_access_key_id\\s*=");
    private final Path file;
    private final byte[] content;
    private final String serviceUser;
    private Optional<byte[]> previous = Optional.empty();
    private boolean written;
    private String owner;

    private KeyInstall(Path file, byte[] content, String serviceUser) {
        this.file = file.toAbsolutePath();
        this.content = content;
        this.serviceUser = serviceUser;
    }

    static KeyInstall of(Path file, String text, String serviceUser) {
        return new KeyInstall(file, text.getBytes(StandardCharsets.UTF_8), serviceUser);
    }

    void write() throws IOException {
        AtomicFile target = new AtomicFile(file);
        Owner wanted = wantedOwner();
        owner = wanted.name();
        previous = target.read();
        if (previous.isPresent() && !CREDENTIALS.matcher(new String(previous.get(), StandardCharsets.UTF_8)).find()) {
            // run as root, import would otherwise replace whatever file a config names, and hand it to the service user
            throw new IllegalArgumentException("bastion.aws.credentialsFile " + file + " exists and is not an AWS credentials"
                    + " file (no aws_access_key_id line); import replaces only its own kind: name another path or remove that file");
        }
        if (previous.isPresent() && Arrays.equals(previous.get(), content) && isPrivateAndOwned(wanted)) {
            return;
        }
        target.write(content);
        written = true;
        wanted.apply(file);
    }

    /** Only what this run changed; best effort, the caller is already failing. */
    void undo() {
        if (!written) {
            return;
        }
        try {
            if (previous.isEmpty()) {
                Files.deleteIfExists(file);
            } else {
                new AtomicFile(file).write(previous.get());
                wantedOwner().apply(file);
            }
        } catch (IOException | RuntimeException e) {
            // the import's own error is the one to report; this file is named in it
        }
    }

    Path file() {
        return file;
    }

    boolean written() {
        return written;
    }

    String owner() {
        return owner;
    }

    private boolean isPrivateAndOwned(Owner wanted) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file)).equals(PRIVATE)
                && (wanted.user() == null || Files.getOwner(file).equals(wanted.user()));
    }

    private Owner wantedOwner() throws IOException {
        String me = System.getProperty("user.name");
        if (!"root".equals(me)) {
            // Nobody but root may give a file away: it stays the importing user's, who then runs the service or is told.
            return new Owner(me, null, null);
        }
        UserPrincipalLookupService names = file.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user;
        try {
            user = names.lookupPrincipalByName(serviceUser);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalArgumentException("there is no user " + serviceUser + " to own the AWS key file " + file
                    + "; install the lifeline package (it makes the user lifeline) or name the service's user with --service-user");
        }
        GroupPrincipal group;
        try {
            group = names.lookupPrincipalByGroupName(serviceUser);
        } catch (UserPrincipalNotFoundException e) {
            group = null; // mode 600: the group reads nothing either way
        }
        return new Owner(serviceUser, user, group);
    }

    private record Owner(String name, UserPrincipal user, GroupPrincipal group) {
        void apply(Path file) throws IOException {
            if (user == null) {
                return;
            }
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            view.setOwner(user);
            if (group != null) {
                view.setGroup(group);
            }
        }
    }
}
