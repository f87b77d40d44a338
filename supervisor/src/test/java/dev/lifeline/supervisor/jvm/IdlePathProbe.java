package dev.lifeline.supervisor.jvm;

/**
 * A JVM that calls one small method of ours as often as an idle supervisor calls its keepalive path in a minute or
 * two, then waits to be looked at until its stdin closes (or it is stopped by its PID): {@link JvmOptionsCompileIdlePathsTest} asks its JIT what it
 * compiled.
 */
public final class IdlePathProbe {
    private static volatile long sink;

    private IdlePathProbe() {
    }

    public static void main(String[] args) throws java.io.IOException {
        int calls = Integer.parseInt(args[0]);
        for (int i = 0; i < calls; i++) {
            keepaliveLike(i);
        }
        System.out.println("called " + calls);
        System.out.flush();
        // alive until the test closes our stdin or stops us by PID: no fixed wait
        while (System.in.read() >= 0) {
            // nothing is ever written to it
        }
    }

    static void keepaliveLike(int i) {
        sink += (long) i * 31 + (sink >>> 7);
    }
}
