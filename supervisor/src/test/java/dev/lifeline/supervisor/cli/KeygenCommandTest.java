package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.tunnel.Identity;
import dev.lifeline.templates.spec.HostKey;
import dev.lifeline.templates.spec.Secret;
import dev.lifeline.templates.spec.SshPublicKey;
import dev.lifeline.templates.testing.Tools;

class KeygenCommandTest {
    @TempDir
    Path dir;

    @Test
    void aTunnelKeyLoadsInOpenSshAndInTheSupervisorAndComesWithItsStackLines() throws Exception {
        CliRun run = CliRun.of("keygen", "--tunnel", "tunnel2", "--index", "1", "--port", "39000", "--out", dir.toString());

        assertThat(run.exitCode()).as("%s", run).isZero();
        Path key = dir.resolve("tunnel2");
        String pub = Files.readString(dir.resolve("tunnel2.pub")).strip();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(run.out()).as("only the public half is ever printed").doesNotContain("PRIVATE KEY")
                .contains("pulumi config set --path 'lifeline:tunnels[1].name' tunnel2\n")
                .contains("pulumi config set --path 'lifeline:tunnels[1].port' 39000\n")
                .contains("pulumi config set --path 'lifeline:tunnels[1].publicKey' '" + pub + "'\n");
        assertThat(SshPublicKey.parse(pub).type()).as("what BastionSpecReader reads from tunnels[].publicKey").isEqualTo("ssh-ed25519");

        assertThat(Tools.run(10, List.of("ssh-keygen", "-l", "-f", key.toString())).exitCode()).isZero();
        assertThat(Tools.run(10, List.of("ssh-keygen", "-l", "-f", dir.resolve("tunnel2.pub").toString())).exitCode()).isZero();
        Tools.Result derived = Tools.run(10, List.of("ssh-keygen", "-y", "-f", key.toString()));
        assertThat(derived.exitCode()).as("%s", derived).isZero();
        assertThat(keyText(derived.output())).isEqualTo(keyText(pub));

        KeyPair loaded = Identity.load(key);
        assertThat(PublicKeyEntry.toString(loaded.getPublic())).isEqualTo(keyText(pub));
    }

    @Test
    void aHostKeyIsWhatTheStackReaderAcceptsAsASecret() throws Exception {
        CliRun run = CliRun.of("keygen", "--host", "--out", dir.toString());

        assertThat(run.exitCode()).as("%s", run).isZero();
        Path key = dir.resolve("bastion_host_key");
        assertThat(run.out()).doesNotContain("PRIVATE KEY")
                .contains("pulumi config set --secret lifeline:hostKey < " + key + "\n");
        HostKey parsed = HostKey.parse(Secret.of("hostKey", Files.readString(key)));
        assertThat(parsed.publicKey().keyText()).isEqualTo(keyText(Files.readString(dir.resolve("bastion_host_key.pub"))));
        Tools.Result derived = Tools.run(10, List.of("ssh-keygen", "-y", "-f", key.toString()));
        assertThat(keyText(derived.output())).isEqualTo(parsed.publicKey().keyText());
        assertThat(Tools.run(10, List.of("ssh-keygen", "-l", "-f", dir.resolve("bastion_host_key.pub").toString())).exitCode()).isZero();
    }

    @Test
    void anExistingKeyIsNeverOverwritten() throws Exception {
        assertThat(CliRun.of("keygen", "--tunnel", "tunnel1", "--out", dir.toString()).exitCode()).isZero();
        String before = Files.readString(dir.resolve("tunnel1"));

        CliRun again = CliRun.of("keygen", "--tunnel", "tunnel1", "--out", dir.toString());

        assertThat(again.exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(again.err()).contains(dir.resolve("tunnel1") + " already exists; lifeline never overwrites a key");
        assertThat(Files.readString(dir.resolve("tunnel1"))).isEqualTo(before);
    }

    @Test
    void anOrphanPublicFileAlsoStopsItBeforeAnythingIsWritten() throws Exception {
        Files.writeString(dir.resolve("bastion_host_key.pub"), "ssh-ed25519 AAAA old\n");

        CliRun run = CliRun.of("keygen", "--host", "--out", dir.toString());

        assertThat(run.exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(dir.resolve("bastion_host_key")).doesNotExist();
        assertThat(Files.readString(dir.resolve("bastion_host_key.pub"))).isEqualTo("ssh-ed25519 AAAA old\n");
    }

    @Test
    void aTunnelNameThatCannotBeAUnixUserIsBadInput() {
        CliRun run = CliRun.of("keygen", "--tunnel", "../Tunnel", "--out", dir.toString());

        assertThat(run.exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(run.err()).contains("--tunnel must be the tunnel's Unix user");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void eitherTunnelOrHostIsRequired() {
        assertThat(CliRun.of("keygen", "--out", dir.toString()).exitCode()).isEqualTo(Lifeline.BAD_INPUT);
        assertThat(CliRun.of("keygen", "--host", "--tunnel", "t1", "--out", dir.toString()).exitCode()).isEqualTo(Lifeline.BAD_INPUT);
    }

    /** {@code ssh-ed25519 AAAA…} without a comment. */
    private static String keyText(String line) {
        String[] parts = line.strip().split("\\s+");
        return parts[0] + " " + parts[1];
    }
}
