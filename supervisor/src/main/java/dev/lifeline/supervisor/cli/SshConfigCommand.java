package dev.lifeline.supervisor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.supervisor.tunnel.TunnelConfig;
import dev.lifeline.templates.render.AdminSshConfig;
import dev.lifeline.templates.spec.SshPublicKey;
import dev.lifeline.templates.spec.TunnelService;

/**
 * {@code lifeline ssh-config}: the OpenSSH client configuration that takes the admin from a laptop to the home's SSH
 * through the bastion, every host key pinned (the bastion's from the config, the home's read from its host key files).
 */
@Command(name = "ssh-config", mixinStandardHelpOptions = true,
        description = {"Prints the ~/.ssh/config that reaches the home's SSH through the bastion, every host key pinned.", "",
            "One Host for the bastion (its address, port, the admin user, the pinned hostKey of the config) and one per",
            "tunnel with service: ssh (ProxyJump through the bastion to the tunnel's port, the home's host key pinned:",
            "read from --host-keys when the tunnel's local service is this machine). Needs OpenSSH 8.5 or newer on the laptop."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "2:bad input (config, a host key file, arguments); nothing printed"})
final class SshConfigCommand implements Callable<Integer> {
    /** Where Debian's openssh-server keeps the host keys, in the order of preference. */
    private static final List<String> HOST_KEY_FILES = List.of(
            "ssh_host_ed25519_key.pub", "ssh_host_ecdsa_key.pub", "ssh_host_rsa_key.pub");
    private static final Set<String> THIS_MACHINE = Set.of("127.0.0.1", "localhost", "::1");

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the supervisor config, e.g. /etc/lifeline/lifeline.yaml")
    Path config;

    @Option(names = "--admin-user", paramLabel = "NAME", defaultValue = "admin",
            description = "the bastion's admin user (the stack's lifeline:adminUser; default ${DEFAULT-VALUE})")
    String adminUser;

    @Option(names = "--user", paramLabel = "NAME", description = "the user to log in as at home (default: ssh's own, the laptop's user)")
    String homeUser;

    @Option(names = "--identity", paramLabel = "FILE", description = "the admin's private key on the laptop, e.g. ~/.ssh/id_ed25519 (default: ssh's own choice)")
    String identity;

    @Option(names = "--bastion-alias", paramLabel = "NAME", defaultValue = "lifeline-bastion",
            description = "the Host name of the bastion (default ${DEFAULT-VALUE}; one per site when you have several)")
    String bastionAlias;

    @Option(names = "--host-keys", paramLabel = "DIR", defaultValue = "/etc/ssh",
            description = "this machine's sshd host keys, pinned for ssh tunnels to this machine (default ${DEFAULT-VALUE})")
    Path hostKeys;

    @Option(names = "--host-key", paramLabel = "TUNNEL=FILE", description = "the .pub host key of the SSH server a tunnel leads to (repeatable)")
    Map<String, Path> hostKeyFiles = new LinkedHashMap<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            SupervisorConfig c = ConfigLoader.load(config);
            List<AdminSshConfig.HomeSsh> homes = new ArrayList<>();
            List<AdminSshConfig.Forward> forwards = new ArrayList<>();
            for (TunnelConfig t : c.tunnels()) {
                if (t.service() == TunnelService.SSH) {
                    homes.add(new AdminSshConfig.HomeSsh(t.name(), t.name(), t.remotePort(), t.local(), homeUser, homeHostKey(t)));
                } else if (t.service() == TunnelService.TCP) {
                    forwards.add(new AdminSshConfig.Forward(t.name(), t.remotePort(), t.local()));
                }
            }
            for (String named : hostKeyFiles.keySet()) {
                if (homes.stream().noneMatch(h -> h.name().equals(named))) {
                    throw new IllegalArgumentException("--host-key " + named + "=…: " + config + " has no tunnel " + named + " with service: ssh");
                }
            }
            AdminSshConfig.Bastion bastion = new AdminSshConfig.Bastion(bastionAlias, c.bastion().host(), c.bastion().port(),
                    adminUser, c.bastion().hostKey());
            out.print(AdminSshConfig.render(c.status().site(), config.toString(), bastion, homes, forwards, identity));
            out.flush();
            if (homes.isEmpty()) {
                err.println("lifeline ssh-config: no tunnel in " + config + " has service: ssh, so only the bastion is written;"
                        + " to reach the home's SSH add a tunnel with local: 127.0.0.1:22 and service: ssh (and one in the stack)");
            }
            return 0;
        } catch (ConfigException e) {
            err.println("lifeline ssh-config: " + e.getMessage());
            return Lifeline.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            err.println("lifeline ssh-config: " + e.getMessage());
            return Lifeline.BAD_INPUT;
        }
    }

    /** The pinned key of the SSH server a tunnel leads to: named with --host-key, or this machine's own. */
    private SshPublicKey homeHostKey(TunnelConfig t) {
        Path file = hostKeyFiles.get(t.name());
        if (file == null) {
            if (!THIS_MACHINE.contains(t.localHost())) {
                throw new IllegalArgumentException("tunnel " + t.name() + " leads to " + t.local() + ", another machine: give its host key"
                        + " with --host-key " + t.name() + "=FILE (its /etc/ssh/ssh_host_ed25519_key.pub)");
            }
            file = HOST_KEY_FILES.stream().map(hostKeys::resolve).filter(Files::isRegularFile).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("no sshd host key in " + hostKeys + " (looked for " + String.join(", ", HOST_KEY_FILES)
                            + ") for tunnel " + t.name() + "; is openssh-server installed here? Or give --host-key " + t.name() + "=FILE"));
        }
        try {
            return SshPublicKey.parse(Files.readString(file).trim());
        } catch (IOException e) {
            throw new IllegalArgumentException("--host-key " + t.name() + ": " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--host-key " + t.name() + ": " + file + " " + e.getMessage());
        }
    }
}
