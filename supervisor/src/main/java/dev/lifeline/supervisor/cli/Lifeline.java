package dev.lifeline.supervisor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lifeline} command: one subcommand per job. */
@Command(name = "lifeline", mixinStandardHelpOptions = true, version = "lifeline 0.1.0",
        description = "Keeps a home reachable when its main internet line fails.",
        subcommands = {InitCommand.class, RunCommand.class, StatusCommand.class, DemoCommand.class, CheckConfigCommand.class, KeygenCommand.class, ImportCommand.class,
            BastionCommand.class, ProbeCommand.class, TestAlertCommand.class, RenderCommand.class, SshConfigCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:failed (I/O or an unexpected error; the message says which)",
            "2:bad input (config, stack values, arguments); nothing was changed"})
public final class Lifeline {
    public static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        // The JDK's HTTP server (status page, demo) waits for ever on a client that sends nothing: bound it. Read
        // once when that server first loads, so set before anything else runs.
        System.setProperty("sun.net.httpserver.maxReqTime", "10");
        System.setProperty("sun.net.httpserver.maxRspTime", "30");
        if (args.length > 0 && args[0].equals("demo")) {
            // The demo prints its own timeline; the daemon's INFO lines would bury it. Set before any logger exists.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new Lifeline())
                .setExitCodeExceptionMapper(e -> BAD_INPUT)
                .execute(args);
    }
}
