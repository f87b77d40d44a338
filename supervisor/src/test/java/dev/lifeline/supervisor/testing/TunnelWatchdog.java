package dev.lifeline.supervisor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.testing.BastionRoot;
import dev.lifeline.templates.testing.Daemons;
import dev.lifeline.templates.testing.Tools;

/**
 * The rendered lifeline-tunnel-watchdog, run as its rendered systemd unit runs it: the unit's ExecStart arguments
 * (timing and health ports), as root with only the unit's CapabilityBoundingSet and no new privileges (setpriv),
 * logging to a file instead of the journal. Stopped by its PID.
 */
public final class TunnelWatchdog implements AutoCloseable {
    private final Process process;
    private final Path log;

    private TunnelWatchdog(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static TunnelWatchdog start(BastionRoot root) {
        return start(root, List.of());
    }

    /** The same in the bastion namespace of {@code link}, beside the sshd that {@link TestBastion#startBehind} runs. */
    public static TunnelWatchdog startBehind(LossyLink link, BastionRoot root) {
        return start(root, List.of(Tools.which("ip"), "netns", "exec", link.namespace()));
    }

    private static TunnelWatchdog start(BastionRoot root, List<String> prefix) {
        try {
            String unit = Files.readString(root.path(BastionFiles.TUNNEL_WATCHDOG_UNIT));
            List<String> exec = Arrays.asList(setting(unit, "ExecStart").split(" "));
            if (!exec.get(0).equals(BastionFiles.TUNNEL_WATCHDOG)) {
                throw new IllegalStateException("the unit runs " + exec.get(0) + ", not " + BastionFiles.TUNNEL_WATCHDOG);
            }
            String caps = Arrays.stream(setting(unit, "CapabilityBoundingSet").split(" "))
                    .map(c -> "+" + c.toLowerCase(Locale.ROOT).replaceFirst("^cap_", "")).collect(Collectors.joining(","));
            List<String> command = new ArrayList<>(prefix);
            command.addAll(List.of(Tools.which("setpriv"), "--bounding-set=-all," + caps,
                    "--inh-caps=-all", "--no-new-privs", "--", root.path(BastionFiles.TUNNEL_WATCHDOG).toString()));
            command.addAll(exec.subList(1, exec.size()));
            Path log = root.path("/var/log/tunnel-watchdog.log");
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new TunnelWatchdog(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String setting(String unit, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + "=(.+)$").matcher(unit);
        if (!m.find()) {
            throw new IllegalStateException("the rendered unit has no " + key + "=:\n" + unit);
        }
        return m.group(1).trim();
    }

    /** What it logged (one line per session it ended). */
    public String log() {
        return Daemons.read(log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The script, then whatever requests it still has out (they would end on their own within the quiet time). */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        Daemons.stop(process);
        children.forEach(ProcessHandle::destroy);
    }
}
