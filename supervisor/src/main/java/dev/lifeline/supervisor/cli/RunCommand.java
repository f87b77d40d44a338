package dev.lifeline.supervisor.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.lifeline.supervisor.alert.Alerting;
import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.event.EventSink;
import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.supervisor.status.OutboxView;

/** The daemon: keeps the tunnels up until SIGTERM, then closes them so the bastion frees the ports at once. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the supervisor: tunnels, line checks and the bastion's start and stop.", "",
            "Keeps the reverse tunnels to the bastion up, tracks the primary line, starts the bastion when it fails and",
            "stops it after it is back, and checks the backup line.", "",
            "Stops cleanly on SIGTERM (systemctl stop): every session is closed so the bastion frees its port at once."})
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the supervisor config, e.g. /etc/lifeline/lifeline.yaml")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        SupervisorConfig cfg;
        SupervisorRuntime supervisor;
        Alerting alerting = null;
        try {
            cfg = ConfigLoader.load(config);
            // Alert texts carry wall-clock times in the user's zone.
            Clock clock = cfg.alerts() == null ? Clock.systemDefaultZone() : Clock.system(cfg.alerts().zone());
            EventSink logged = new LoggedEvents();
            EventSink events = logged;
            if (cfg.alerts() != null) {
                Alerting a = Alerting.start(cfg.alerts(), cfg.stateDir(), clock);
                alerting = a;
                events = e -> {
                    logged.publish(e);
                    a.publish(e);
                };
            }
            Alerting forStatus = alerting;
            supervisor = SupervisorRuntime.start(cfg, events, clock,
                    () -> forStatus == null ? OutboxView.EMPTY : OutboxView.of(forStatus.status()));
        } catch (ConfigException | IllegalArgumentException e) {
            closeQuietly(alerting);
            err.println("lifeline run: " + e.getMessage());
            err.flush();
            return Lifeline.BAD_INPUT;
        } catch (UncheckedIOException e) {
            closeQuietly(alerting);
            err.println("lifeline run: " + e.getMessage() + "; check that stateDir exists and this user may write it");
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Alerting outbox = alerting;
        Thread hook = new Thread(() -> {
            LOG.info("stopping: closing {} tunnel session(s)", cfg.tunnels().size());
            supervisor.close();
            // after the tunnels: their last events still reach the outbox, which keeps on disk what it could not send
            closeQuietly(outbox);
            stopped.countDown();
        }, "lifeline-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.info("lifeline supervisor running with {} tunnel(s) to {}:{}", cfg.tunnels().size(), cfg.bastion().host(), cfg.bastion().port());
        stopped.await();
        return 0;
    }

    private static void closeQuietly(Alerting alerting) {
        if (alerting != null) {
            alerting.close();
        }
    }
}
