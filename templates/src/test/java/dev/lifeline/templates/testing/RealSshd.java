package dev.lifeline.templates.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.spec.BastionSpec;

/**
 * Debian's real OpenSSH sshd, started on loopback from the rendered sshd_config under a {@link BastionRoot}.
 * It runs under a name of its own, because sshd takes its PAM service name from the name it was started
 * as: the test's PAM service is Debian's sshd stack plus the rendered login-alert line, and the machine's
 * own /etc/pam.d/sshd stays untouched.
 */
public final class RealSshd implements AutoCloseable {
    private final Process process;
    private final Path pamService;
    private final Path log;
    private final int port;

    private RealSshd(Process process, Path pamService, Path log, int port) {
        this.process = process;
        this.pamService = pamService;
        this.log = log;
        this.port = port;
    }

    /** Starts sshd for {@code spec}, whose files are already written under {@code root}. */
    public static RealSshd start(BastionRoot root, BastionSpec spec) {
        Tools.require("/usr/sbin/sshd");
        TestUsers.requirePresent();
        try {
            Files.createDirectories(Path.of("/run/sshd"));
            root.write("/etc/ssh/ssh_host_ed25519_key", spec.hostKey().privateKey().reveal(), "0600");
            String name = "lifeline-it-sshd-" + spec.sshPort();
            Path binary = root.path("/usr/sbin/" + name);
            Files.createDirectories(binary.getParent());
            Files.deleteIfExists(binary);
            Files.createSymbolicLink(binary, Path.of("/usr/sbin/sshd"));
            Path pam = Path.of("/etc/pam.d", name);
            String alert = Files.readString(root.path(BastionFiles.PAM_INCLUDE));
            Files.writeString(pam, Files.readString(Path.of("/etc/pam.d/sshd")) + "\n" + alert);
            Path log = root.path("/var/log/sshd.log");
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(List.of(binary.toString(), "-D", "-e", "-f",
                    root.path(BastionFiles.SSHD_CONFIG).toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            RealSshd sshd = new RealSshd(p, pam, log, spec.sshPort());
            try {
                Daemons.awaitListening(p, spec.sshPort(), Duration.ofSeconds(10), log);
            } catch (IllegalStateException e) {
                sshd.close();
                throw e;
            }
            return sshd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String log() {
        return Daemons.read(log);
    }

    @Override
    public void close() {
        Daemons.stop(process);
        try {
            Files.deleteIfExists(pamService);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "RealSshd[127.0.0.1:" + port + (process.isAlive() ? ", running pid " + process.pid() : ", stopped") + "]";
    }
}
