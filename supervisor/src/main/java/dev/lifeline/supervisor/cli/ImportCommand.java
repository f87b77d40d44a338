package dev.lifeline.supervisor.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.supervisor.state.AtomicFile;

/**
 * {@code pulumi stack output --json | lifeline import --config FILE}: writes the stack's outputs into the config's
 * {@code bastion:} section. The new file must load before it replaces the old one; the old one stays as FILE.bak.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Writes the config's bastion: section from `pulumi stack output --json` on stdin.", "",
            "It sets provider, host, port, hostKey, aws.region/aws.instanceId or digitalocean.dropletId, keeping every",
            "comment and every other line. The result must load before it replaces the file; the old file is kept as FILE.bak.",
            "On AWS, piped with --show-secrets, it also installs the stack's supervisor key",
            "as an AWS credentials file: mode 600, owned by the service user, aws-credentials",
            "beside the config unless bastion.aws.credentialsFile names another; never shown."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written (or already up to date)", "1:the file could not be written",
            "2:bad input (outputs, config); the file was not changed"})
final class ImportCommand implements Callable<Integer> {
    /** `pulumi stack output --json` is a few hundred bytes; anything near this is not it. */
    private static final int MAX_INPUT = 1 << 20;
    /** In /etc/lifeline beside the config: the unit's ConfigurationDirectory, readable by the sandboxed service. */
    static final String DEFAULT_KEY_FILE = "aws-credentials";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the supervisor config, e.g. /etc/lifeline/lifeline.yaml")
    Path config;

    @Option(names = "--service-user", paramLabel = "USER", defaultValue = "lifeline",
            description = "the user the service runs as (default ${DEFAULT-VALUE}): run as root, import makes it the owner of the AWS key file")
    String serviceUser;

    InputStream stdin = System.in;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            StackOutputs outputs = StackOutputs.parse(readInput());
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException(config + " does not exist; start from the example config"
                        + " (the package installs /etc/lifeline/lifeline.yaml) and add your tunnels");
            }
            String before = Files.readString(config);
            Map<List<String>, Object> values = new LinkedHashMap<>(outputs.bastionValues());
            SupervisorKeyOutputs key = outputs.supervisorKey();
            Path keyFile = null;
            if (key != null && key.hidden()) {
                out.println("note: stack output " + SupervisorKeyOutputs.SECRET + " is a secret; to install the supervisor's"
                        + " AWS key, pipe `pulumi stack output --json --show-secrets` instead (a key installed before is kept)");
            } else if (key != null) {
                keyFile = credentialsFile(before);
                values.put(List.of("aws", "credentialsFile"), keyFile.toString());
            }
            String after;
            try {
                after = BastionSection.update(before, values);
                after = withSpeedUrl(after, outputs, out);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(config + " " + e.getMessage());
            }
            // The key first: the new config names it, and loading the config checks it. Put back if the config fails.
            KeyInstall install = keyFile == null ? null : KeyInstall.of(keyFile, key.credentialsFileText(), serviceUser);
            try {
                if (install != null) {
                    install.write();
                }
                if (after.equals(before)) {
                    out.println(config + ": the bastion section already matches the stack outputs; not changed");
                    printKey(out, install);
                    return 0;
                }
                validate(after);
                replace(after);
            } catch (RuntimeException | IOException e) {
                if (install != null) {
                    install.undo();
                }
                throw e;
            }
            out.println(config + ": bastion section written from the stack outputs (provider " + outputs.provider() + ", host "
                    + outputs.publicIp() + ", port " + outputs.sshPort() + "); the previous file is " + backup());
            printKey(out, install);
            return 0;
        } catch (IllegalArgumentException | ConfigException e) {
            err.println("lifeline import: " + e.getMessage());
            return Lifeline.BAD_INPUT;
        } catch (IOException | UncheckedIOException e) {
            err.println("lifeline import: " + config + " was not changed: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Never a byte of the key: only where it is and who may read it. */
    private static void printKey(PrintWriter out, KeyInstall install) {
        if (install == null) {
            return;
        }
        out.println("bastion.aws.credentialsFile " + install.file() + ": the supervisor's AWS key "
                + (install.written() ? "written" : "already installed; not changed") + " (mode 600, owner " + install.owner()
                + "; the key is not shown)");
    }

    /** Where the config already keeps the key (a re-import must not move it), else aws-credentials beside the config. */
    private Path credentialsFile(String configText) {
        try {
            JsonNode named = YAML.readTree(configText).path("bastion").path("aws").path("credentialsFile");
            if (named.isTextual() && !named.asText().isBlank()) {
                return Path.of(named.asText().trim());
            }
        } catch (IOException e) {
            // not YAML: BastionSection.update names the problem with its line
        }
        return config.toAbsolutePath().resolveSibling(DEFAULT_KEY_FILE);
    }

    /**
     * links.backup.bastionSpeedUrl from the secret speedUrl output, when the config checks a backup line; the URL itself
     * is never printed (its path is the secret).
     */
    private String withSpeedUrl(String text, StackOutputs outputs, PrintWriter out) {
        if (outputs.speedUrl() == null) {
            return text;
        }
        if (outputs.speedUrl().equals(StackOutputs.HIDDEN)) {
            out.println("note: stack output speedUrl is a secret; to set links.backup.bastionSpeedUrl, pipe"
                    + " `pulumi stack output --json --show-secrets` instead");
            return text;
        }
        if (!BastionSection.hasBlock(text, List.of("links", "backup"))) {
            return text;
        }
        out.println("links.backup.bastionSpeedUrl set to the bastion's own speed test (secret path, not shown)");
        return BastionSection.setAt(text, List.of("links", "backup", "bastionSpeedUrl"), outputs.speedUrl());
    }

    private String readInput() throws IOException {
        byte[] bytes = stdin.readNBytes(MAX_INPUT + 1);
        if (bytes.length > MAX_INPUT) {
            throw new IllegalArgumentException("stdin is over 1 MB, which is not `pulumi stack output --json`");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Loads the new text the way `lifeline run` will, from a file beside the config, removed afterwards. */
    private void validate(String text) throws IOException {
        Path dir = config.toAbsolutePath().getParent();
        Path candidate = Files.createTempFile(dir, "." + config.getFileName() + ".import-", ".yaml");
        try {
            Files.writeString(candidate, text);
            ConfigLoader.load(candidate);
        } catch (ConfigException e) {
            // name the real file: the lines are the same; the candidate is gone when the user reads this
            throw new ConfigException(e.getMessage().replace(candidate.toString(), config + " (after the import)")
                    + "; " + config + " was not changed");
        } finally {
            Files.deleteIfExists(candidate);
        }
    }

    private void replace(String text) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(config);
        java.nio.file.attribute.PosixFileAttributes owners = Files.readAttributes(config, java.nio.file.attribute.PosixFileAttributes.class);
        Files.copy(config, backup(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        new AtomicFile(config).write(text.getBytes(StandardCharsets.UTF_8));
        // the new file gets the old one's mode and owners (root:lifeline 640 must stay readable by the daemon
        // when import runs under sudo)
        Files.setPosixFilePermissions(config, mode);
        var view = Files.getFileAttributeView(config, java.nio.file.attribute.PosixFileAttributeView.class);
        view.setOwner(owners.owner());
        view.setGroup(owners.group());
    }

    private Path backup() {
        return config.resolveSibling(config.getFileName() + ".bak");
    }
}
