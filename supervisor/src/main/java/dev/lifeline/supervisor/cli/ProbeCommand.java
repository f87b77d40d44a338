package dev.lifeline.supervisor.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.link.BackupHealth;
import dev.lifeline.supervisor.link.BackupHealthCheck;
import dev.lifeline.supervisor.link.BackupLinkConfig;
import dev.lifeline.supervisor.link.ExpectedIsp;
import dev.lifeline.supervisor.link.PrimaryLinkConfig;
import dev.lifeline.supervisor.probe.DataBudget;
import dev.lifeline.supervisor.probe.IspIdentity;
import dev.lifeline.supervisor.probe.IspLookups;
import dev.lifeline.supervisor.probe.Probe;
import dev.lifeline.supervisor.probe.ProbeException;
import dev.lifeline.supervisor.probe.ProbeResult;
import dev.lifeline.supervisor.probe.ProbeTarget;
import dev.lifeline.supervisor.probe.Probes;
import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.supervisor.settings.HumanSize;

/** One-shot measurements of a line, printed as they are taken: what the daemon would see right now. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Measures a line once and prints what it saw.", "",
            "primary: one round of the primary line's probes (as links.primary configures them), and its egress ISP.",
            "backup:  the backup line's health check: ISP, latency, and a speed test that stops as soon as the",
            "         threshold is proven (it counts against the day's data budget)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the line is healthy", "1:the line has a problem (printed)", "2:bad input (config, arguments)"})
final class ProbeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LINE", description = "primary or backup")
    String line;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the supervisor config, e.g. /etc/lifeline/lifeline.yaml")
    Path config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            SupervisorConfig cfg = ConfigLoader.load(config);
            return switch (line) {
                case "primary" -> primary(cfg, out);
                case "backup" -> backup(cfg, out, err);
                default -> throw new IllegalArgumentException("LINE must be primary or backup (got " + line + ")");
            };
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("lifeline probe: " + e.getMessage());
            return Lifeline.BAD_INPUT;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int primary(SupervisorConfig cfg, PrintWriter out) {
        PrimaryLinkConfig p = cfg.links() == null ? null : cfg.links().primary();
        if (p == null) {
            throw new IllegalArgumentException(config + ": has no links.primary section to probe");
        }
        int answered = 0;
        for (ProbeTarget target : p.probes()) {
            Probe probe = Probes.of(target, p.bind(), p.timeout());
            ProbeResult r = probe.run();
            answered += r.ok() ? 1 : 0;
            out.printf(Locale.ROOT, "%-4s %-45s %6d ms  %s%n", r.ok() ? "ok" : "FAIL", r.target(), r.rtt().toMillis(), r.detail());
            out.flush();
        }
        boolean good = answered >= p.reliability();
        out.printf(Locale.ROOT, "round %s: %d of %d answered (needs %d)%n", good ? "good" : "BAD", answered, p.probes().size(), p.reliability());
        if (p.egressIsp() != null) {
            try {
                IspIdentity id = IspLookups.of(p.egressIsp(), p.bind(), p.timeout()).lookup();
                boolean onBackup = cfg.links().backup() != null && new ExpectedIsp(cfg.links().backup().expectIsp()).matches(id);
                out.println("egress ISP " + ExpectedIsp.describe(id) + (onBackup ? " — the BACKUP ISP: the router has failed over" : ""));
                good &= !onBackup;
            } catch (ProbeException e) {
                out.println("egress ISP unknown: " + e.getMessage());
            }
        }
        return good ? 0 : 1;
    }

    private int backup(SupervisorConfig cfg, PrintWriter out, PrintWriter err) {
        BackupLinkConfig b = cfg.links() == null ? null : cfg.links().backup();
        if (b == null) {
            throw new IllegalArgumentException(config + ": has no links.backup section to probe");
        }
        List<Probe> latency = new ArrayList<>();
        for (ProbeTarget target : b.latencyProbes()) {
            latency.add(Probes.of(target, b.bind(), b.timeout()));
        }
        Clock clock = Clock.systemDefaultZone();
        DataBudget budget = new DataBudget(cfg.stateDir().resolve("data-budget.json"), b.dataBudgetBytesPerDay(), clock);
        long allowed = Math.min(b.maxBytesPerCheck(), budget.remainingToday());
        BackupHealthCheck check = new BackupHealthCheck(b, IspLookups.of(b.ispLookup(), b.bind(), b.timeout()), latency,
                b.speedUrls(), Optional::empty, budget, e -> { }, clock);
        BackupHealth h = check.run(new ProgressBar(err, allowed));
        err.println();
        out.println("ISP      " + (h.isp() == null ? "unknown" : h.isp()) + "   (expected " + b.expectIsp() + ")");
        out.println("latency  " + (h.latency() == null ? "unknown" : h.latency().toMillis() + " ms") + "   (at most " + b.maxLatency().toMillis() + " ms)");
        out.println("speed    " + (h.bitsPerSecond() == null ? "unknown" : HumanSize.rate(h.bitsPerSecond())) + "   (at least "
                + HumanSize.rate(b.minDownloadBitsPerSecond()) + "; " + h.bytesUsed() / 1000 + " kB used, " + budget.remainingToday() / 1_000_000 + " MB left today)");
        h.notes().forEach(n -> out.println("note     " + n));
        out.println(h.healthy() ? "healthy — " + h.facts() : String.join(", ", h.problems()) + " — " + h.facts());
        return h.healthy() ? 0 : 1;
    }

    /** {@code speed test [#########           ] 2.1 MB}, redrawn in place on a terminal's stderr. */
    private static final class ProgressBar implements LongConsumer {
        private static final int WIDTH = 30;
        private final PrintWriter err;
        private final long max;
        private int drawn = -1;

        ProgressBar(PrintWriter err, long max) {
            this.err = err;
            this.max = Math.max(1, max);
        }

        @Override
        public void accept(long bytes) {
            int filled = (int) Math.min(WIDTH, bytes * WIDTH / max);
            if (filled == drawn) {
                return;
            }
            drawn = filled;
            err.printf(Locale.ROOT, "\rspeed test [%s%s] %.1f MB", "#".repeat(filled), " ".repeat(WIDTH - filled), bytes / 1e6);
            err.flush();
        }
    }
}
