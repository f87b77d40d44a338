package dev.lifeline.supervisor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.render.BastionLayout;
import dev.lifeline.templates.render.CloudConfig;
import dev.lifeline.templates.render.FileModes;
import dev.lifeline.templates.render.RenderedFile;
import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.spec.Provider;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.stack.StackConfigException;
import dev.lifeline.templates.stack.StackFileValues;
import dev.lifeline.templates.stack.StackWithSecrets;

/** Writes the files cloud-init would install on the bastion, so they can be read before {@code pulumi up}. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Writes the files the bastion would run, for a stack file, touching no cloud.",
            "",
            "sshd config, authorized_keys, nginx, login alert, update and fail2ban settings, and the cloud-init",
            "user-data. Secrets stay encrypted in a stack file; their places show a placeholder, unless",
            "--secret gives a secret's value as `pulumi up` decrypts it: the user-data is then the one the VM boots."})
final class RenderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--stack", required = true, paramLabel = "FILE", description = "a Pulumi stack file, e.g. stacks/Pulumi.aws-example.yaml")
    Path stack;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to write into (made if missing; files in it are replaced)")
    Path out;

    @Option(names = "--secret", paramLabel = "KEY=FILE",
            description = "an encrypted secret's value, read from FILE (e.g. hostKey=bastion_host_key); repeatable")
    Map<String, Path> secrets = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        if (!Files.isRegularFile(stack)) {
            err.println("lifeline render: --stack " + stack + " does not exist; give a stack file such as stacks/Pulumi.aws-example.yaml");
            return Lifeline.BAD_INPUT;
        }
        BastionSpec bastion;
        try {
            bastion = BastionSpecReader.read(StackWithSecrets.of(StackFileValues.read(stack), readSecrets()));
        } catch (StackConfigException e) {
            err.println("lifeline render: " + stack + ": " + e.getMessage());
            return Lifeline.BAD_INPUT;
        } catch (NoSuchFileException e) {
            err.println("lifeline render: --secret: " + e.getFile() + " does not exist; give KEY=FILE with a readable FILE");
            return Lifeline.BAD_INPUT;
        }
        List<RenderedFile> files = BastionFiles.render(bastion, BastionLayout.onVm());
        Files.createDirectories(out);
        for (RenderedFile f : files) {
            write(out.resolve(f.path().substring(1)), f.content(), f.secret() ? "0600" : f.mode());
        }
        write(out.resolve("user-data.yaml"), CloudConfig.userData(bastion), "0600");
        if (bastion.provider() == Provider.AWS) {
            // the bytes EC2 hands cloud-init: the program's userDataBase64, decoded
            write(out.resolve("user-data.ec2.gz"), Base64.getDecoder().decode(CloudConfig.userDataGzipBase64(bastion)));
        }
        write(out.resolve("known_hosts"), bastion.hostKey().knownHostsLine("<bastion-ip>", bastion.sshPort()) + "\n", "0644");
        outWriter.printf("Rendered %d files for stack '%s' (%s, %s) into %s:%n", files.size() + (bastion.provider() == Provider.AWS ? 3 : 2), bastion.stackName(),
                bastion.provider().id(), bastion.region(), out);
        for (RenderedFile f : files) {
            outWriter.printf("  %-55s %s%n", f.path(), f.secret() ? "0600 (secret)" : f.mode());
        }
        outWriter.printf("  %-55s %s%n", "user-data.yaml (cloud-init, what the VM boots with)", "0600 (secret)");
        if (bastion.provider() == Provider.AWS) {
            outWriter.printf("  %-55s %s%n", "user-data.ec2.gz (the same, as EC2 passes it)", "0600 (secret)");
        }
        outWriter.printf("  %-55s %s%n", "known_hosts (the line the supervisor pins)", "0644");
        return 0;
    }

    private Map<String, String> readSecrets() throws IOException {
        Map<String, String> plain = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : secrets.entrySet()) {
            plain.put(e.getKey(), Files.readString(e.getValue()));
        }
        return plain;
    }

    private static void write(Path p, byte[] content) throws IOException {
        Files.deleteIfExists(p);
        Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(p, content);
    }

    private static void write(Path p, String content, String mode) throws IOException {
        Files.createDirectories(p.getParent());
        Files.deleteIfExists(p);
        Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, FileModes.of(mode));
    }
}
