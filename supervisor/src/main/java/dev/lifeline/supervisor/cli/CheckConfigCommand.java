package dev.lifeline.supervisor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.lifeline.supervisor.config.ConfigException;
import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.config.SupervisorConfig;

/** Says whether {@code lifeline run} would start with a config, without starting anything or touching the network. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {"Checks a supervisor config as `lifeline run` would at start, touching no network.", "",
            "It checks every key and value, the tunnel key files (private, unencrypted OpenSSH keys), token files,",
            "probe targets and ISP lookups. Prints FILE: valid, or every problem with its line and fix."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:valid", "2:invalid (every problem printed on stderr)"})
final class CheckConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the supervisor config, e.g. /etc/lifeline/lifeline.yaml")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> problems = problems();
        problems.forEach(err::println);
        if (problems.isEmpty()) {
            out.println(file + ": valid");
        }
        out.flush();
        err.flush();
        return problems.isEmpty() ? 0 : Lifeline.BAD_INPUT;
    }

    private List<String> problems() {
        SupervisorConfig config;
        String text;
        try {
            // The loader reports every binding problem at once (in the file's order); the audit of a config that
            // loads (keys parse, token files private, probe targets) lists all of its own.
            config = ConfigLoader.load(file);
            text = Files.readString(file);
        } catch (ConfigException e) {
            return List.of(e.getMessage());
        } catch (IOException e) {
            return List.of(file + ": cannot be read (" + e.getClass().getSimpleName() + "); check the path and permissions");
        }
        return ConfigAudit.of(file, text, config);
    }
}
