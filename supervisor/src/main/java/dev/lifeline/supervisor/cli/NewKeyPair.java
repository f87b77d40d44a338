package dev.lifeline.supervisor.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/**
 * A fresh ed25519 key pair written as ssh-keygen writes it: {@code NAME} (OpenSSH private key, unencrypted, mode 600
 * from the moment it exists) and {@code NAME.pub}. Existing files are never replaced: a key in use cannot be lost.
 */
final class NewKeyPair {
    private NewKeyPair() {
    }

    /** Refuses before writing anything when either file exists. */
    static void refuseExisting(Path privateFile) {
        for (Path p : new Path[] {privateFile, publicFile(privateFile)}) {
            if (Files.exists(p)) {
                throw new IllegalArgumentException(p + " already exists; lifeline never overwrites a key"
                        + " (move it away first, or choose another --out directory)");
            }
        }
    }

    static Path publicFile(Path privateFile) {
        return privateFile.resolveSibling(privateFile.getFileName() + ".pub");
    }

    /** Writes both files and returns the public line ({@code ssh-ed25519 AAAA… comment}). */
    static String write(Path privateFile, String comment) throws IOException {
        refuseExisting(privateFile);
        KeyPair pair;
        ByteArrayOutputStream pem = new ByteArrayOutputStream();
        try {
            pair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, pem);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make an ed25519 key on this JVM (" + e.getClass().getSimpleName() + ")");
        }
        String publicLine = PublicKeyEntry.toString(pair.getPublic()) + " " + comment;
        Files.createDirectories(privateFile.toAbsolutePath().getParent());
        // CREATE_NEW with the mode given at creation: never a moment in which others could read it, and a file that
        // appeared since the check above is not replaced
        Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(privateFile, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(pem.toByteArray());
        }
        try {
            Files.writeString(publicFile(privateFile), publicLine + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            Files.delete(privateFile); // ours, written a moment ago: leave no half pair behind
            throw new IllegalArgumentException(publicFile(privateFile) + " already exists; lifeline never overwrites a key");
        }
        return publicLine;
    }
}
