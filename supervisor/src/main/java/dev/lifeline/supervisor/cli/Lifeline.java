package dev.lifeline.supervisor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lifeline} command: one subcommand per job. */
@Command(name = "lifeline", mixinStandardHelpOptions = true, version = "lifeline 0.1.0",
        description = "Keeps a home reachable when its main internet line fails.",
        subcommands = {RunCommand.class, BastionCommand.class, ProbeCommand.class, RenderCommand.class, CheckConfigCommand.class,
            KeygenCommand.class, ImportCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:failed (I/O or an unexpected error; the message says which)",
            "2:bad input (config, stack values, arguments); nothing was changed"})
public final class Lifeline {
    public static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new Lifeline())
                .setExitCodeExceptionMapper(e -> BAD_INPUT)
                .execute(args);
    }
}
