package dev.lifeline.supervisor.jars;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * The heavy client libraries only some homes use — the AWS SDK, DigitalOcean's client, Twilio's SDK — ship beside
 * lifeline.jar in {@code lib/} and join the class path when a part that needs them is first made.
 *
 * <p>Why: the JVM reads the whole central directory of every jar on the class path into the Java heap and keeps it
 * there while the jar is open (for ever, for the class path). With those libraries inside, lifeline.jar had 39,500
 * entries: 4.4 MB of live heap, and 7 MB of RSS, in a daemon that only keeps two tunnels (ci/bench.sh footprint).
 *
 * <p>How: lifeline.jar names this class as its {@code Launcher-Agent-Class}, so {@code java -jar lifeline.jar} hands it
 * the JVM's {@link Instrumentation} before main, and {@link #need} appends the library's jar to the application class
 * loader's search path: the libraries' classes load as if they had been on the class path from the start (same loader,
 * same packages, their ServiceLoader files found). Outside the jar (Maven's test class path, an IDE) there is no agent,
 * every library is on the class path already, and {@link #need} does nothing.
 *
 * <p>A caller calls {@link #need} before the first line that touches a class of that library — before it even makes an
 * object of our own class that uses them, since making it links (verifies) that class against the library's.
 */
public final class OnDemandJars {
    /** One jar under lib/, built by the shade plugin from the artifacts its execution in supervisor/pom.xml lists. */
    public enum Library {
        AWS("aws"), DIGITALOCEAN("digitalocean"), TWILIO("twilio");

        private final String file;

        Library(String name) {
            this.file = name + ".jar";
        }

        /** {@code aws.jar}: its name under lib/. */
        public String file() {
            return file;
        }
    }

    private static volatile Instrumentation instrumentation;
    private static final Set<Library> ADDED = EnumSet.noneOf(Library.class);

    private OnDemandJars() {
    }

    /** The JVM calls this before main when started as {@code java -jar lifeline.jar} (its manifest's Launcher-Agent-Class). */
    public static void agentmain(String args, Instrumentation inst) {
        instrumentation = inst;
    }

    /**
     * Puts {@code library} on the class path, once; a no-op when not run from lifeline.jar.
     *
     * @throws IllegalStateException the jar is missing from lib/ (a broken install)
     */
    public static synchronized void need(Library library) {
        Instrumentation inst = instrumentation;
        if (inst == null || ADDED.contains(library)) {
            return;
        }
        Path jar = libDir().resolve(library.file());
        if (!Files.isReadable(jar)) {
            throw new IllegalStateException(jar + " is missing or unreadable: lifeline keeps the " + library.name().toLowerCase(java.util.Locale.ROOT)
                    + " client library there; reinstall the lifeline package");
        }
        try {
            inst.appendToSystemClassLoaderSearch(new JarFile(jar.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + jar + "; reinstall the lifeline package", e);
        }
        ADDED.add(library);
    }

    /** lib/ beside the jar this class was loaded from: /usr/share/lifeline/lib for the package. */
    static Path libDir() {
        try {
            return Path.of(OnDemandJars.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolveSibling("lib");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("lifeline.jar's own location is not a file path: " + e.getMessage(), e);
        }
    }
}
