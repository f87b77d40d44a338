package dev.lifeline.supervisor.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.lifeline.supervisor.alert.Alert;
import dev.lifeline.supervisor.alert.AlertTexts;
import dev.lifeline.supervisor.alert.AlertsSection;
import dev.lifeline.supervisor.alert.Delivery;
import dev.lifeline.supervisor.alert.Notifier;
import dev.lifeline.supervisor.alert.NotifierException;
import dev.lifeline.supervisor.alert.Notifiers;
import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.settings.ConfigException;

/** Sends one test message through each channel, the way the daemon's channels send, and prints each answer. */
@Command(name = "test-alert", mixinStandardHelpOptions = true,
        description = {"Sends a test alert through every configured alert channel (or one) and prints what each answered.",
            "It calls the channels directly, once each: no outbox, no retry, no rate limit — a test message is sent",
            "even when the daemon's outbox would hold it back."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every channel tried accepted the message", "1:a channel refused it or was not reached (printed)",
            "2:bad input (config, secret files, arguments)"})
final class TestAlertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the supervisor config, e.g. /etc/lifeline/lifeline.yaml")
    Path config;

    @Option(names = "--channel", paramLabel = "NAME", description = "only this channel: twilio, email, telegram or webhook")
    String channel;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            AlertsSection alerts = ConfigLoader.load(config).alerts();
            if (alerts == null) {
                throw new IllegalArgumentException(config + ": has no alerts: section; nothing to test");
            }
            if (channel != null && !alerts.order().contains(channel)) {
                throw new IllegalArgumentException("--channel " + channel + " is not configured; configured: " + String.join(", ", alerts.order()));
            }
            List<Notifier> notifiers = Notifiers.fromConfig(alerts).stream().filter(n -> channel == null || n.name().equals(channel)).toList();
            Alert alert = AlertTexts.test(Instant.now(), alerts.zone(), hostName());
            boolean allAccepted = true;
            for (Notifier n : notifiers) {
                allAccepted &= tryOne(n, alert, out);
            }
            return allAccepted ? 0 : 1;
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("lifeline test-alert: " + e.getMessage());
            return Lifeline.BAD_INPUT;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static boolean tryOne(Notifier n, Alert alert, PrintWriter out) {
        try {
            Delivery d = n.send(alert);
            out.printf("%-9s accepted  %s%n", n.name(), d.receipt());
            return true;
        } catch (NotifierException e) {
            out.printf("%-9s FAILED    %s%s%n", n.name(), e.getMessage(), e.permanent() ? " [permanent: fix the config]" : " [transient]");
            return false;
        } finally {
            out.flush();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "this host";
        }
    }
}
