package dev.lifeline.supervisor.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.settings.ConfigException;

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
        try {
            // one pass: every problem of the file's and of this machine's (keys parse, interfaces exist), in the file's order
            ConfigLoader.load(file, new MachineChecks());
            return List.of();
        } catch (ConfigException e) {
            return e.getMessage().lines().toList();
        }
    }
}
