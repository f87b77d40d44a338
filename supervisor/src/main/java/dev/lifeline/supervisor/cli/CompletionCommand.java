package dev.lifeline.supervisor.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints picocli's bash completion script for every subcommand and option, generated from the commands themselves. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints a bash completion script (works in zsh with bashcompinit).", "", "Install it with:",
            "  lifeline completion | sudo tee /etc/bash_completion.d/lifeline >/dev/null",
            "or for this shell only: source <(lifeline completion)"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("lifeline", spec.root().commandLine()));
        out.flush();
        return 0;
    }
}
