package dev.lifeline.supervisor.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;

/** One {@code lifeline …} run in-process, with what it printed; stdin given as text. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        return withStdin("", args);
    }

    static synchronized CliRun withStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            int code = new CommandLine(new Lifeline()).setExitCodeExceptionMapper(e -> Lifeline.BAD_INPUT)
                    .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
            return new CliRun(code, out.toString(), err.toString());
        } finally {
            System.setIn(saved);
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
