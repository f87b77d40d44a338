package dev.lifeline.supervisor.bench;

/** An empty program that sleeps: the RSS floor of a JVM with lifeline's flags, before any of our code runs. */
public final class IdleJvm {
    private IdleJvm() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "600000"));
    }
}
