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
        return start(root, spec, List.of());
    }

    /** As {@link #start(BastionRoot, BastionSpec)}, with extra sshd arguments such as {@code -o LogLevel=DEBUG1}. */
    public static RealSshd start(BastionRoot root, BastionSpec spec, List<String> extraArgs) {
        return start(root, spec, extraArgs, List.of(), "127.0.0.1");
    }

    /**
     * As {@link #start(BastionRoot, BastionSpec, List)} in the network namespace {@code namespace} (made by the test),
     * where the rendered config listens on {@code address}: {@code ip netns exec} runs sshd in its own place, so the
     * PID this keeps is sshd's.
     */
    public static RealSshd startIn(String namespace, String address, BastionRoot root, BastionSpec spec) {
        return start(root, spec, List.of(), List.of(Tools.which("ip"), "netns", "exec", namespace), address);
    }

    private static RealSshd start(BastionRoot root, BastionSpec spec, List<String> extraArgs, List<String> launcher, String address) {
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
            List<String> command = new java.util.ArrayList<>(launcher);
            command.addAll(List.of(binary.toString(), "-D", "-e", "-f", root.path(BastionFiles.SSHD_CONFIG).toString()));
            command.addAll(extraArgs);
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            RealSshd sshd = new RealSshd(p, pam, log, spec.sshPort());
            try {
                Daemons.awaitListening(p, address, spec.sshPort(), Duration.ofSeconds(10), log);
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

    /**
     * Kills every session process (the per-connection monitor and its unprivileged child, which holds the
     * socket and the forwarded port) while the listening sshd stays: as when a session's process is killed.
     */
    public void killSessions() {
        ProcessHandle.of(process.pid()).ifPresent(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
    }

    /** Kills the session processes of one user only (sshd retitles them "NAME: USER [priv]", "NAME: USER"). */
    public void killSessionsOf(String user) {
        List<ProcessHandle> mine = ProcessHandle.of(process.pid()).stream().flatMap(ProcessHandle::descendants)
                .filter(d -> sessionUser(title(d.pid())).equals(user))
                .toList();
        if (mine.isEmpty()) {
            throw new IllegalStateException("no sshd session process of " + user + " to kill among "
                    + ProcessHandle.of(process.pid()).stream().flatMap(ProcessHandle::descendants).map(d -> d.pid() + "=" + title(d.pid())).toList());
        }
        mine.forEach(ProcessHandle::destroyForcibly);
    }

    /** "lifeline-it-sshd-1234: lifeline-it-t1 [priv]" → "lifeline-it-t1". */
    private static String sessionUser(String title) {
        int colon = title.indexOf(": ");
        if (colon < 0) {
            return "";
        }
        String rest = title.substring(colon + 2);
        int end = rest.indexOf(' ');
        rest = end < 0 ? rest : rest.substring(0, end);
        int at = rest.indexOf('@');
        return at < 0 ? rest : rest.substring(0, at);
    }

    /** The process title as ps shows it; Java's ProcessHandle.Info reports the executable instead. */
    private static String title(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    public String log() {
        return Daemons.read(log);
    }

    /** Stops sshd with its sessions, as `systemctl stop ssh` plus a reboot would: nothing of it is left. */
    @Override
    public void close() {
        killSessions();
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
