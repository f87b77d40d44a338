package dev.lifeline.supervisor.testing;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.lifeline.templates.testing.Tools;

/** Who listens on a loopback port, as ss sees it: the bastion-side view of a tunnel. */
public final class Listeners {
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    private Listeners() {
    }

    public static boolean listening(int port) {
        return !ss("-Hltn", port).isBlank();
    }

    /** The process holding the listener (for a tunnel: its sshd session process), or 0 when none does. */
    public static long holder(int port) {
        Matcher m = PID.matcher(ss("-Hltnp", port));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String ss(String flags, int port) {
        return Tools.run(5, List.of(Tools.which("ss"), flags, "sport = :" + port)).output();
    }

    /** SIGSTOP: the process keeps its sockets (the kernel still ACKs) but answers nothing, as a hung home would. */
    public static void freeze(long pid) {
        signal("-STOP", pid);
    }

    public static void thaw(long pid) {
        signal("-CONT", pid);
    }

    private static void signal(String signal, long pid) {
        Tools.Result r = Tools.run(5, List.of(Tools.which("kill"), signal, String.valueOf(pid)));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("kill " + signal + " " + pid + ": " + r);
        }
    }
}
