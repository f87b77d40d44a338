package dev.lifeline.supervisor.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.Tools;

/**
 * This machine's own Debian, booted under systemd as PID 1 in a container, so a unit's sandbox is applied by the
 * real service manager even where this machine's PID 1 is not systemd (then {@code systemd-run} cannot work).
 * The root is an overlay on this machine's {@code /} with its writes on a tmpfs: nothing here is changed. It has
 * no network but loopback ({@code --private-network}) and boots to {@code basic.target} with no enabled service of
 * this machine. Everything it starts is stopped in {@link #close()}: the container by its PID, then the mounts.
 */
public final class BootedHostRoot implements AutoCloseable {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private final Path base;
    private final Path root;
    private final Path console;
    private Process nspawn;
    private long leader;

    private BootedHostRoot(Path base) {
        this.base = base;
        this.root = base.resolve("root");
        this.console = base.resolve("console.log");
    }

    /** Mounts the overlay under {@code base} (an empty directory); boot with {@link #boot()} after filling it. */
    public static BootedHostRoot mount(Path base) {
        Tools.require("/usr/bin/systemd-nspawn");
        BootedHostRoot r = new BootedHostRoot(base);
        // The upper layer on its own tmpfs: overlayfs will not take an upper directory on most other overlays.
        r.must(List.of("mount", "-t", "tmpfs", "-o", "size=512m,mode=0755", "tmpfs", base.toString()));
        try {
            for (String d : List.of("up", "work", "root")) {
                Files.createDirectories(base.resolve(d));
            }
            r.must(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=/,upperdir=" + base.resolve("up")
                    + ",workdir=" + base.resolve("work"), r.root.toString()));
            // this machine's enabled services (sshd, nginx, docker …) have no business in the container
            for (String wants : List.of("multi-user.target.wants", "sockets.target.wants", "timers.target.wants")) {
                Path dir = r.root.resolve("etc/systemd/system").resolve(wants);
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> links = Files.list(dir)) {
                        for (Path l : links.toList()) {
                            Files.delete(l);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            r.close();
            throw new IllegalStateException("cannot prepare the overlay root under " + base, e);
        }
        return r;
    }

    public Path root() {
        return root;
    }

    /** Runs {@code command} chrooted into the (not yet booted) root, e.g. dpkg. */
    public Tools.Result chroot(long seconds, String... command) {
        List<String> cmd = new ArrayList<>(List.of("chroot", root.toString()));
        cmd.addAll(List.of(command));
        return Tools.run(seconds, cmd, Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), null);
    }

    /** Boots systemd in the root and waits until it answers {@code systemctl is-system-running}. */
    public void boot() throws IOException {
        // --register=no --keep-unit: no machined and no system bus on a machine whose PID 1 is not systemd
        nspawn = new ProcessBuilder("systemd-nspawn", "--quiet", "-D", root.toString(), "--boot", "--private-network",
                "--register=no", "--keep-unit", "--link-journal=no", "--machine=lifeline-it-" + ProcessHandle.current().pid(),
                "--", "systemd.unit=basic.target")
                .redirectErrorStream(true).redirectOutput(console.toFile()).start();
        Await.until("systemd in the container answers (console: " + console + ")", BOOT, () -> {
            if (!nspawn.isAlive()) {
                throw new AssertionError("systemd-nspawn ended: " + consoleText());
            }
            Optional<ProcessHandle> init = nspawn.toHandle().children().findFirst();
            if (init.isEmpty()) {
                return false;
            }
            leader = init.get().pid();
            String state = inside(20, "systemctl", "is-system-running").output().strip();
            return state.equals("running") || state.equals("degraded");
        });
    }

    /** Runs {@code command} in the booted container: its mounts, PIDs, network and systemd. */
    public Tools.Result inside(long seconds, String... command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--target", Long.toString(leader), "--all"));
        cmd.addAll(List.of(command));
        return Tools.run(seconds, cmd);
    }

    public String consoleText() {
        try {
            return Files.exists(console) ? Files.readString(console) : "";
        } catch (IOException e) {
            return "(console unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (nspawn != null && nspawn.isAlive()) {
            // SIGTERM: nspawn asks the container's systemd to power off, then ends
            nspawn.destroy();
            try {
                if (!nspawn.waitFor(30, TimeUnit.SECONDS)) {
                    nspawn.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Tools.run(30, List.of("umount", "--lazy", root.toString()));
        Tools.run(30, List.of("umount", "--lazy", base.toString()));
    }

    private void must(List<String> command) {
        Tools.Result r = Tools.run(30, command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(command + ": " + r);
        }
    }
}
