package dev.lifeline.supervisor.jvm;

/**
 * A JVM that calls one small method of ours as often as an idle supervisor calls its keepalive path in a minute or
 * two, then waits to be looked at (and stopped by its PID): {@link JvmOptionsCompileIdlePathsTest} asks its JIT what it
 * compiled.
 */
public final class IdlePathProbe {
    private static volatile long sink;

    private IdlePathProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        int calls = Integer.parseInt(args[0]);
        for (int i = 0; i < calls; i++) {
            keepaliveLike(i);
        }
        System.out.println("called " + calls);
        System.out.flush();
        Thread.sleep(120_000);
    }

    static void keepaliveLike(int i) {
        sink += (long) i * 31 + (sink >>> 7);
    }
}
