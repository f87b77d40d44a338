package dev.lifeline.supervisor.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.lifeline.supervisor.cloud.BastionControl;
import dev.lifeline.supervisor.cloud.BastionControls;
import dev.lifeline.supervisor.cloud.BastionStatus.State;
import dev.lifeline.supervisor.cloud.BastionStatus;
import dev.lifeline.supervisor.cloud.CloudException;
import dev.lifeline.supervisor.cloud.CloudSettings;
import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.supervisor.settings.HumanDuration;

/** {@code lifeline bastion start|stop|status}: the bastion VM by hand, through the same control the daemon uses. */
@Command(name = "bastion", mixinStandardHelpOptions = true,
        description = "Starts, stops or shows the bastion VM through the cloud API (bastion.provider in the config).",
        subcommands = {BastionCommand.Status.class, BastionCommand.Start.class, BastionCommand.Stop.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (start/stop: the bastion reached the state, or --no-wait and the request was accepted)",
            "1:the cloud failed for now (network, throttling, 5xx, or --timeout passed); trying again later may work",
            "2:bad input (config, token file, arguments); nothing was asked of the cloud",
            "3:the cloud refused for good (credentials, permission, unknown instance or droplet); a person must act"})
final class BastionCommand {
    static final int TRANSIENT = 1;
    static final int PERMANENT = 3;

    /** The options every bastion subcommand takes. */
    static final class Common {
        @Option(names = "--config", required = true, paramLabel = "FILE", description = "the supervisor config, e.g. /etc/lifeline/lifeline.yaml")
        Path config;

        @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
                description = "how often to ask the cloud while waiting (default: ${DEFAULT-VALUE})")
        Duration pollInterval;
    }

    abstract static class Action implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String name = "lifeline bastion " + spec.name();
            BastionControl control;
            try {
                control = BastionControls.forConfig(ConfigLoader.load(common.config).bastion(),
                        CloudSettings.DEFAULTS.withPollInterval(common.pollInterval));
            } catch (ConfigException | IllegalArgumentException e) {
                err.println(name + ": " + e.getMessage());
                err.flush();
                return Lifeline.BAD_INPUT;
            }
            try (control) {
                return run(control, out, err);
            } catch (CloudException e) {
                err.println(name + ": " + e.getMessage());
                err.flush();
                return e.permanent() ? PERMANENT : TRANSIENT;
            } finally {
                out.flush();
            }
        }

        abstract int run(BastionControl control, PrintWriter out, PrintWriter err);
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Prints the bastion's id, state, the provider's word for it and its public IP.")
    static final class Status extends Action {
        @Override
        int run(BastionControl control, PrintWriter out, PrintWriter err) {
            print(out, control, control.status());
            return 0;
        }
    }

    /** Start and stop: ask, then (unless --no-wait) watch until the state is reached or the timeout passes. */
    abstract static class Change extends Action {
        @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "wait until the bastion is there (default); --no-wait returns once the cloud accepted the request")
        boolean waitForIt;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
                description = "the longest wait (default: ${DEFAULT-VALUE})")
        Duration timeout;

        @Override
        int run(BastionControl control, PrintWriter out, PrintWriter err) {
            Instant asked = Instant.now();
            request(control);
            out.println(control.describe() + ": " + spec.name() + " requested");
            if (!waitForIt) {
                return 0;
            }
            BastionStatus last = control.await(wanted(), timeout);
            long seconds = Duration.between(asked, Instant.now()).toSeconds();
            print(out, control, last);
            if (last.state() != wanted()) {
                err.println("lifeline bastion " + spec.name() + ": " + control.describe() + " is " + last.state() + " (" + last.detail()
                        + "), not " + wanted() + ", after " + seconds + " s");
                err.flush();
                return last.state() == State.GONE ? PERMANENT : TRANSIENT;
            }
            out.println(control.describe() + ": " + wanted() + " after " + seconds + " s");
            return 0;
        }

        abstract void request(BastionControl control);

        abstract State wanted();
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Starts the bastion (a running one is fine) and waits until it runs.")
    static final class Start extends Change {
        @Override
        void request(BastionControl control) {
            control.start();
        }

        @Override
        State wanted() {
            return State.RUNNING;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops the bastion (a stopped one is fine) and waits until it is stopped.")
    static final class Stop extends Change {
        @Override
        void request(BastionControl control) {
            control.stop();
        }

        @Override
        State wanted() {
            return State.STOPPED;
        }
    }

    static void print(PrintWriter out, BastionControl control, BastionStatus s) {
        out.println("bastion:   " + control.describe());
        out.println("id:        " + s.id());
        out.println("state:     " + s.state());
        out.println("provider:  " + s.detail());
        out.println("public ip: " + (s.publicIp() == null ? "none" : s.publicIp()));
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return HumanDuration.parse(value);
        }
    }
}
