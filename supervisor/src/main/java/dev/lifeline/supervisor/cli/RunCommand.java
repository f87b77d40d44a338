package dev.lifeline.supervisor.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.lifeline.supervisor.config.ConfigException;
import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.tunnel.TunnelListener;
import dev.lifeline.supervisor.tunnel.TunnelSupervisor;

/** The daemon: keeps the tunnels up until SIGTERM, then closes them so the bastion frees the ports at once. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the supervisor: keeps the reverse tunnels to the bastion up.", "",
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
        TunnelSupervisor supervisor;
        try {
            cfg = ConfigLoader.load(config);
            supervisor = TunnelSupervisor.start(cfg, new LoggingListener(), Clock.systemUTC(), RandomGenerator.getDefault());
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("lifeline run: " + e.getMessage());
            err.flush();
            return Lifeline.BAD_INPUT;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("stopping: closing {} tunnel session(s)", cfg.tunnels().size());
            supervisor.close();
            stopped.countDown();
        }, "lifeline-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.info("lifeline supervisor running with {} tunnel(s) to {}:{}", cfg.tunnels().size(), cfg.bastion().host(), cfg.bastion().port());
        stopped.await();
        return 0;
    }

    /** Until alerts exist (a later issue), events that need a person are logged loudly. */
    private static final class LoggingListener implements TunnelListener {
        @Override
        public void forwardRefused(String tunnel, int count) {
            LOG.error("tunnel {}: the bastion refused its port {} times in a row", tunnel, count);
        }

        @Override
        public void authRefused(String tunnel) {
            LOG.error("tunnel {}: the bastion refused its key; check that the stack's tunnel key matches", tunnel);
        }
    }
}
