package dev.lifeline.supervisor.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Function;

/**
 * The answers {@code lifeline init} asks for. On a terminal each question shows its default in brackets, Enter takes
 * it, and a bad answer is asked again with the reason (a few times, then init gives up). With
 * {@code --non-interactive} nothing is asked: a flag's value or the default is taken, and a bad one is an error that
 * names the flag. Secrets are read without echo, or from an environment variable — never from a flag, which any user
 * on the machine could read in the process list.
 */
final class Prompts {
    static final int ATTEMPTS = 5;

    /** A reason the answer cannot be used, or null. */
    interface Check extends Function<String, String> {
    }

    static final Check ANY = a -> null;

    private final Console console;
    private final PrintWriter out;
    private final Map<String, String> env;

    private Prompts(Console console, PrintWriter out, Map<String, String> env) {
        this.console = console;
        this.out = out;
        this.env = env;
    }

    static Prompts flagsOnly(PrintWriter out, Map<String, String> env) {
        return new Prompts(null, out, env);
    }

    static Prompts on(Console console, PrintWriter out, Map<String, String> env) {
        return new Prompts(console, out, env);
    }

    boolean interactive() {
        return console != null;
    }

    /** {@code given}: the flag's value (null when not given), the default on a terminal. */
    String ask(String flag, String question, String given, String fallback, Check check) {
        String preset = given != null ? given : fallback;
        if (console == null) {
            if (preset == null) {
                throw new BadAnswer(flag + " is required with --non-interactive (" + question + ")");
            }
            String problem = check.apply(preset);
            if (problem != null) {
                throw new BadAnswer(flag + " " + Shell.quote(preset) + ": " + problem);
            }
            return preset;
        }
        out.flush();
        for (int i = 0; i < ATTEMPTS; i++) {
            String line = console.readLine("%s%s: ", question, preset == null ? "" : " [" + preset + "]");
            if (line == null) {
                throw new BadAnswer("no answer to \"" + question + "\" (input ended); nothing was written");
            }
            String answer = line.strip().isEmpty() ? preset : line.strip();
            String problem = answer == null ? "an answer is needed here" : check.apply(answer);
            if (problem == null) {
                return answer;
            }
            console.printf("  %s; try again%n", problem);
        }
        throw new BadAnswer("no usable answer to \"" + question + "\" after " + ATTEMPTS + " tries (" + flag + "); nothing was written");
    }

    /** A secret: read without echo on a terminal, else from {@code envVar}. */
    String secret(String envVar, String question, Check check) {
        if (console == null) {
            String v = env.get(envVar);
            if (v == null || v.isBlank()) {
                throw new BadAnswer(envVar + " is not set: with --non-interactive, " + question + " comes from the environment"
                        + " variable " + envVar + " (never from a flag, which the process list shows)");
            }
            String problem = check.apply(v.strip());
            if (problem != null) {
                throw new BadAnswer(envVar + ": " + problem);
            }
            return v.strip();
        }
        out.flush();
        for (int i = 0; i < ATTEMPTS; i++) {
            char[] typed = console.readPassword("%s (not shown): ", question);
            if (typed == null) {
                throw new BadAnswer("no answer to \"" + question + "\" (input ended); nothing was written");
            }
            String answer = new String(typed).strip();
            java.util.Arrays.fill(typed, ' ');
            String problem = answer.isEmpty() ? "an answer is needed here" : check.apply(answer);
            if (problem == null) {
                return answer;
            }
            console.printf("  %s; try again%n", problem);
        }
        throw new BadAnswer("no usable answer to \"" + question + "\" after " + ATTEMPTS + " tries; nothing was written");
    }

    /** An answer init cannot use: exit 2, nothing written. */
    static final class BadAnswer extends IllegalArgumentException {
        BadAnswer(String message) {
            super(message);
        }
    }
}
