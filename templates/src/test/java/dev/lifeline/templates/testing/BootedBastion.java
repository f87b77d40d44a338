package dev.lifeline.templates.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

import dev.lifeline.templates.render.CloudConfig;
import dev.lifeline.templates.spec.BastionSpec;

/**
 * A real Debian 12 booted with systemd-nspawn by {@code ci/bastion-boot.sh}, whose cloud-init reads the user-data
 * exactly as {@code pulumi up} hands it to the cloud ({@link CloudConfig}, the provision program's only source of
 * user-data). The machine sits on a private network: it is at {@link #address()}, the host is at {@link #HOST}, and
 * nothing else is reachable from inside but the Debian package registry through the harness's filtering proxy.
 * Closing it stops the machine, the proxy and the network by PID.
 */
public final class BootedBastion implements AutoCloseable {
    /** The host's end of the machine's network: where the test's own servers (home, Twilio, syslog) listen. */
    public static final String HOST = "198.19.200.1";

    /** How the provider passes the user-data: EC2 takes it gzipped (userDataBase64), DigitalOcean plain. */
    public enum UserDataForm { EC2_GZIP, DIGITALOCEAN_PLAIN }

    private final Path run;
    private final String name;
    private final int slot;
    private final String bootOutput;

    private BootedBastion(Path run, String name, int slot, String bootOutput) {
        this.run = run;
        this.name = name;
        this.slot = slot;
        this.bootOutput = bootOutput;
    }

    /** The harness script, found from the module's directory upwards. */
    public static Path script() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            Path s = at.resolve("ci/bastion-boot.sh");
            if (Files.isExecutable(s)) {
                return s;
            }
        }
        throw new IllegalStateException("ci/bastion-boot.sh not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Fails (CI=true) or skips the test with the reason when this machine cannot boot a bastion: the harness needs
     * root and the tools ci/test.sh installs.
     */
    public static void assumeBootable() {
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root (network namespaces, overlay mounts, systemd-nspawn)");
        }
        for (String tool : List.of("/usr/sbin/debootstrap", "/usr/bin/systemd-nspawn", "/usr/bin/nsenter", "/usr/bin/python3")) {
            if (!Files.isExecutable(Path.of(tool))) {
                missing.add(tool);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String why = "a booted bastion needs " + String.join(", ", missing) + "; ci/test.sh installs the tools";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(why);
        }
        System.out.println("skipped: " + why);
        Assumptions.abort(why);
    }

    /** Starts the private network (switch, host end, apt proxy, metadata stand-in) for the machines of one test class. */
    public static Path network() {
        try {
            Path run = Files.createTempDirectory(Path.of("/var/tmp"), "lboot-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            // net-up builds the image when the cache has none (about 80 s), so its bound is the image's
            Tools.Result r = harness(900, "net-up", run.toString());
            if (!r.output().isBlank()) {
                System.out.println("ci/bastion-boot.sh net-up:\n" + r.output());
            }
            if (r.exitCode() != 0) {
                harness(60, "stop", run.toString());
                throw new IllegalStateException("ci/bastion-boot.sh net-up failed: " + r);
            }
            // A JVM ended before @AfterAll (a killed build) must not leave machines running.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(run), "lboot-stop-" + run.getFileName()));
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Boots a fresh copy of the cached Debian 12 image as machine {@code name} at 198.19.200.(10+slot), with the
     * user-data of {@code spec} in the given form, and returns once cloud-init's final stage has run (whatever its
     * result: the tests read it). The first call on a machine builds the image (about 80 s, then cached).
     */
    public static BootedBastion boot(Path network, String name, int slot, BastionSpec spec, UserDataForm form) {
        byte[] userData = switch (form) {
            // exactly the bytes EC2 hands cloud-init: the program's base64, decoded
            case EC2_GZIP -> Base64.getDecoder().decode(CloudConfig.userDataGzipBase64(spec));
            case DIGITALOCEAN_PLAIN -> CloudConfig.userData(spec).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        };
        return boot(network, name, slot, userData);
    }

    /** Boots with these user-data bytes as the cloud would pass them (any Debian 12 machine: a home, too). */
    public static BootedBastion boot(Path network, String name, int slot, byte[] userData) {
        try {
            Path file = network.resolve("user-data-" + name);
            Files.write(file, userData); // holds the host key and the Twilio token: the run directory is 0700
            Tools.Result r = harness(900, "boot", network.toString(), name, String.valueOf(slot), file.toString());
            System.out.println("ci/bastion-boot.sh boot " + name + ":\n" + r.output());
            if (r.exitCode() != 0) {
                throw new IllegalStateException("booting " + name + " failed: " + r);
            }
            return new BootedBastion(network, name, slot, r.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every machine of the network, the proxy and the network itself, by PID (idempotent). */
    public static void stop(Path network) {
        if (network == null || !Files.isDirectory(network)) {
            return;
        }
        Tools.Result r = harness(120, "stop", network.toString());
        System.out.println("ci/bastion-boot.sh stop: " + (r.exitCode() == 0 ? r.output().trim() : r));
    }

    private static Tools.Result harness(long seconds, String... args) {
        List<String> c = new ArrayList<>(List.of(script().toString()));
        c.addAll(List.of(args));
        return Tools.run(seconds, c);
    }

    /** The machine's address on the private network. */
    public String address() {
        return "198.19.200." + (10 + slot);
    }

    public String name() {
        return name;
    }

    /** What the harness printed while booting (timings included). */
    public String bootOutput() {
        return bootOutput;
    }

    /** Runs a command as root inside the machine (all its namespaces), bounded by {@code seconds}. */
    public Tools.Result exec(long seconds, String... command) {
        List<String> c = new ArrayList<>(List.of(script().toString(), "exec", run.toString(), name));
        c.addAll(List.of(command));
        return Tools.run(seconds, c);
    }

    /** Copies a host file into the machine at {@code dest} (owned by root, its mode kept). */
    public void copyIn(Path source, String dest) {
        Tools.Result r = Tools.run(60, List.of(script().toString(), "cp", run.toString(), name, source.toString(), dest));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("copying " + source + " into " + name + ":" + dest + ": " + r);
        }
    }

    /** Runs a command inside and returns its output; fails naming the command when it exits non-zero. */
    public String sh(String script) {
        Tools.Result r = exec(60, "/bin/sh", "-c", script);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("in " + name + ": `" + script + "` " + r);
        }
        return r.output();
    }

    /** A file's bytes as text, read from inside the machine. */
    public String read(String path) {
        return sh("cat '" + path + "'");
    }

    /** The machine's console (systemd's boot messages), for failure messages. */
    public String console() {
        return Daemons.read(run.resolve("machines").resolve(name).resolve("console.log"));
    }

    /** Stops this machine's whole network (see {@link #stop(Path)}). */
    @Override
    public void close() {
        stop(run);
    }
}
