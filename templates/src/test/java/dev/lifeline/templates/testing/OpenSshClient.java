package dev.lifeline.templates.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenSSH client with one identity, pinned to the bastion's host key (no trust on first use),
 * no agent and no user config: what it can or cannot do is decided by the server alone.
 */
public final class OpenSshClient {
    private final Path identity;
    private final Path knownHosts;
    private final int port;
    private final String host;

    public OpenSshClient(Path identity, Path knownHosts, int port) {
        this(identity, knownHosts, "127.0.0.1", port);
    }

    /** A client of the sshd at {@code host:port}; {@code knownHosts} must name that host and port. */
    public OpenSshClient(Path identity, Path knownHosts, String host, int port) {
        this.identity = identity;
        this.knownHosts = knownHosts;
        this.host = host;
        this.port = port;
    }

    public static Path writeIdentity(BastionRoot root, String name, TestKeys key) {
        return root.write("/client/" + name, key.privatePem(), "0600");
    }

    private List<String> base(String program) {
        List<String> c = new ArrayList<>(List.of(Tools.which(program), "-F", "/dev/null",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-o", "ConnectTimeout=5", "-i", identity.toString()));
        c.addAll(program.equals("ssh") ? List.of("-p", String.valueOf(port)) : List.of("-P", String.valueOf(port)));
        return c;
    }

    /** {@code ssh [options] user@host [command]}, waited for. */
    public Tools.Result ssh(String user, List<String> options, String... command) {
        List<String> c = base("ssh");
        c.addAll(options);
        c.add(user + "@" + host);
        c.addAll(List.of(command));
        return Tools.run(20, c);
    }

    /** {@code sftp -b -} with the given batch commands. */
    public Tools.Result sftp(String user, String batch) {
        List<String> c = base("sftp");
        c.addAll(List.of("-b", "-", user + "@" + host));
        return Tools.run(20, c, java.util.Map.of(), batch);
    }

    /** A long-running {@code ssh -N …} (a tunnel, a -L or -D forward); stop it with {@link Background#close()}. */
    public Background background(String user, List<String> options, Path log) {
        List<String> c = base("ssh");
        c.add("-N");
        c.addAll(options);
        c.add(user + "@" + host);
        try {
            Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Background(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A running ssh client process; closing it kills it by its PID. */
    public record Background(Process process, Path log) implements AutoCloseable {
        public boolean exitsWithin(long millis) throws InterruptedException {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        }

        public String output() {
            return Daemons.read(log);
        }

        @Override
        public void close() {
            Daemons.stop(process);
        }
    }
}
