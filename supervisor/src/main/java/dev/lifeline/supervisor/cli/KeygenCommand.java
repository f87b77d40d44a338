package dev.lifeline.supervisor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Makes the keys a stack needs and prints the exact {@code pulumi config set} lines for them. Only public parts are
 * printed: the private halves stay in their files.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Makes an ed25519 key pair in OpenSSH format and prints the pulumi config lines for it.",
            "",
            "--tunnel NAME: a tunnel's key: DIR/NAME (private, chmod 600; the supervisor logs in with it) and DIR/NAME.pub.",
            "--host:        the bastion's host key: DIR/bastion_host_key (a Pulumi secret) and DIR/bastion_host_key.pub.",
            "Existing files are never overwritten."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "1:the files could not be written", "2:bad input, or a key file already exists; nothing written"})
final class KeygenCommand implements Callable<Integer> {
    static final String HOST_KEY_FILE = "bastion_host_key";
    /** The stack's tunnel names are the bastion's Unix users (BastionSpecReader's rule). */
    private static final Pattern TUNNEL_NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = "--tunnel", paramLabel = "NAME", description = "a tunnel's key; NAME is the tunnel's user on the bastion, e.g. tunnel1")
        String tunnel;

        @Option(names = "--host", description = "the bastion's SSH host key")
        boolean host;
    }

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "where the files go (made if missing; default: here)")
    Path dir;

    @Option(names = "--index", paramLabel = "N", defaultValue = "0", description = "the tunnel's place in the stack's lifeline:tunnels list (default 0)")
    int index;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "29000", description = "the tunnel's loopback port on the bastion (default 29000)")
    int port;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (which.host) {
                host(out);
            } else {
                tunnel(out);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("lifeline keygen: " + e.getMessage());
            return Lifeline.BAD_INPUT;
        } catch (IOException e) {
            err.println("lifeline keygen: cannot write into " + dir + " (" + e.getMessage() + ")");
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private void tunnel(PrintWriter out) throws IOException {
        String name = which.tunnel;
        if (!TUNNEL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--tunnel must be the tunnel's Unix user on the bastion, lower case, e.g. tunnel1 (got " + name + ")");
        }
        if (index < 0 || index > 99) {
            throw new IllegalArgumentException("--index must be the tunnel's place in lifeline:tunnels, 0..99 (got " + index + ")");
        }
        if (port < 1024 || port > 65535) {
            throw new IllegalArgumentException("--port must be 1024..65535, the tunnel's loopback port on the bastion (got " + port + ")");
        }
        Path file = dir.resolve(name);
        String publicLine = NewKeyPair.write(file, name);
        String at = "lifeline:tunnels[" + index + "]";
        out.println("private key: " + file + " (chmod 600; the supervisor's tunnels[].key)");
        out.println("public key:  " + NewKeyPair.publicFile(file));
        out.println(publicLine);
        out.println();
        out.println("# the stack's tunnel entry (" + at + ": name, port, publicKey):");
        out.println("pulumi config set --path " + Shell.quote(at + ".name") + " " + Shell.quote(name));
        out.println("pulumi config set --path " + Shell.quote(at + ".port") + " " + port);
        out.println("pulumi config set --path " + Shell.quote(at + ".publicKey") + " " + Shell.quote(publicLine));
    }

    private void host(PrintWriter out) throws IOException {
        Path file = dir.resolve(HOST_KEY_FILE);
        String publicLine = NewKeyPair.write(file, "lifeline-bastion");
        out.println("private key: " + file + " (chmod 600; keep it only as the Pulumi secret below, then delete it)");
        out.println("public key:  " + NewKeyPair.publicFile(file));
        out.println(publicLine);
        out.println();
        out.println("# the stack's host key, stored encrypted (pulumi reads the multi-line key from stdin):");
        out.println("pulumi config set --secret lifeline:hostKey < " + Shell.quote(file.toString()));
    }
}
