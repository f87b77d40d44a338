package dev.lifeline.supervisor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;

import dev.lifeline.supervisor.state.AtomicFile;

/**
 * Where init's files go, with their modes and owners. Run as root, the supervisor's files belong to the service user
 * (keys and secret files 0600, its keys directory 0700) and the config is 0640 root:SERVICE-GROUP, as the package
 * installs it; run as anyone else, everything stays that user's with the same modes. Nothing that exists is ever
 * replaced without {@code --force}, and then the old file is kept beside it as {@code FILE.bak}.
 */
final class InitFiles {
    private final boolean root;
    private final UserPrincipal serviceUser;
    private final GroupPrincipal serviceGroup;
    /** Under sudo: the user who ran it, who runs pulumi with the stack file and the host key; else null. */
    private final UserPrincipal invoker;

    private InitFiles(boolean root, UserPrincipal serviceUser, GroupPrincipal serviceGroup, UserPrincipal invoker) {
        this.root = root;
        this.serviceUser = serviceUser;
        this.serviceGroup = serviceGroup;
        this.invoker = invoker;
    }

    /** Looks the service user and its group up (as root); refuses before anything is written when they are missing. */
    static InitFiles forUser(String serviceUser, java.util.Map<String, String> env) {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            return new InitFiles(false, null, null, null);
        }
        var lookup = java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService();
        UserPrincipal invoker = null;
        String sudoUser = env.get("SUDO_USER");
        if (sudoUser != null && !sudoUser.isBlank() && !sudoUser.equals("root")) {
            try {
                invoker = lookup.lookupPrincipalByName(sudoUser);
            } catch (IOException e) {
                invoker = null; // sudo's own variable naming no user: the files stay root's
            }
        }
        try {
            return new InitFiles(true, lookup.lookupPrincipalByName(serviceUser), lookup.lookupPrincipalByGroupName(serviceUser), invoker);
        } catch (UserPrincipalNotFoundException e) {
            throw new Prompts.BadAnswer("--service-user " + serviceUser + ": no such user and group on this machine; install the"
                    + " lifeline .deb first (it makes the lifeline user), or name the user the service runs as");
        } catch (IOException e) {
            throw new Prompts.BadAnswer("--service-user " + serviceUser + " cannot be looked up (" + e.getMessage() + ")");
        }
    }

    boolean root() {
        return root;
    }

    /** "root:lifeline", for what init prints. */
    String configOwner() {
        return root ? "root:" + serviceGroup.getName() : System.getProperty("user.name");
    }

    /** A directory the service user owns alone (the keys). */
    void privateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        toServiceUser(dir);
    }

    /** A key pair or secret file made for the supervisor: the service user's, 0600 (0644 for a .pub). */
    void toServiceUser(Path file) throws IOException {
        if (root) {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            view.setOwner(serviceUser);
            view.setGroup(serviceGroup);
        }
    }

    /** A one-line secret, 0600 from its first byte, for the service user. Never replaces one. */
    void secret(Path file, String value) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
        toServiceUser(file);
    }

    /** The config: 0640, root and the service group (the service reads it, only root changes it). */
    void config(Path file, String text) throws IOException {
        replace(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        if (root) {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            view.setOwner(java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("root"));
            view.setGroup(serviceGroup);
        }
    }

    /** The stack file: no secrets in it, readable like the rest of the repository. */
    void stack(Path file, String text) throws IOException {
        replace(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        toInvoker(file);
    }

    /**
     * Under sudo, the stack file and the host key go to the user who ran it: `pulumi config set` rewrites the one and
     * reads the other as that user, and could do neither with root's files.
     */
    void toInvoker(Path file) throws IOException {
        if (invoker != null) {
            Files.getFileAttributeView(file, PosixFileAttributeView.class).setOwner(invoker);
        }
    }

    /**
     * The old file, if any, is copied to a backup first (never lost, and an older backup is not replaced either); the
     * new one appears whole or not at all.
     */
    private static void replace(Path file, String text) throws IOException {
        if (Files.exists(file)) {
            Files.copy(file, freeBackup(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        new AtomicFile(file).write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** FILE.bak, or FILE.bak.1, .2 … when that is taken. */
    static Path freeBackup(Path file) throws IOException {
        Path bak = file.resolveSibling(file.getFileName() + ".bak");
        for (int i = 1; Files.exists(bak); i++) {
            if (i > 999) {
                throw new IOException("1000 backups of " + file + " exist already; move them away");
            }
            bak = file.resolveSibling(file.getFileName() + ".bak." + i);
        }
        return bak;
    }
}
