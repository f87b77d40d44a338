package dev.lifeline.supervisor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.supervisor.settings.SecretFile;
import dev.lifeline.supervisor.status.StatusSection;

/** What the running daemon sees right now, read from its status server (so it needs no privilege of its own). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows the running supervisor's view: lines, tunnels, bastion, outbox, heartbeat.",
            "Asks the daemon's status server (status.listen in the config, with status.tokenFile if set)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all well (primary up or tunnels up during an outage)", "1:something needs a look (printed)",
            "2:bad input (config)", "3:no daemon answered at the status address"})
final class StatusCommand implements Callable<Integer> {
    static final int NO_DAEMON = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", defaultValue = "/etc/lifeline/lifeline.yaml", paramLabel = "FILE",
            description = "the supervisor config (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--json", description = "print the daemon's /status JSON as it is")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SupervisorConfig cfg;
        String token;
        try {
            cfg = ConfigLoader.load(config);
            token = cfg.status().tokenFile() == null ? null : SecretFile.token("status.tokenFile", cfg.status().tokenFile(), StatusSection.MIN_TOKEN_LENGTH);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("lifeline status: " + e.getMessage());
            err.flush();
            return Lifeline.BAD_INPUT;
        }
        URI uri = URI.create("http://" + StatusSection.describe(cfg.status().listen()) + "/status");
        JsonNode doc;
        String body;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                err.println("lifeline status: " + uri + " answered HTTP " + r.statusCode() + (r.statusCode() == 401 ? " (check status.tokenFile)" : ""));
                err.flush();
                return NO_DAEMON;
            }
            body = r.body();
            doc = new ObjectMapper().readTree(body);
        } catch (IOException e) {
            err.println("lifeline status: no supervisor answered at " + uri + " (" + e.getClass().getSimpleName()
                    + "); is it running? systemctl status lifeline");
            err.flush();
            return NO_DAEMON;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NO_DAEMON;
        }
        if (json) {
            out.println(body);
            out.flush();
            return 0;
        }
        return print(doc, out);
    }

    private static int print(JsonNode d, PrintWriter out) {
        boolean trouble = false;
        JsonNode primary = d.path("primary");
        if (primary.path("tracked").asBoolean()) {
            String state = primary.path("state").asText();
            out.printf(Locale.ROOT, "primary  %s%n", state);
            for (JsonNode p : primary.path("lastRound")) {
                out.printf(Locale.ROOT, "         %-4s %-40s %6.0f ms  %s%n", p.path("ok").asBoolean() ? "ok" : "FAIL", p.path("target").asText(),
                        p.path("rttMs").asDouble(), p.path("detail").asText());
            }
        } else {
            out.println("primary  not tracked (no links.primary)");
        }
        JsonNode backup = d.path("backup");
        if (!backup.isMissingNode() && !backup.isNull()) {
            boolean healthy = backup.path("healthy").asBoolean();
            trouble |= !healthy;
            out.printf(Locale.ROOT, "backup   %s — ISP %s, %s, latency %s (checked %s)%n", healthy ? "healthy" : String.join(", ", texts(backup.path("problems"))),
                    backup.path("isp").asText("unknown"),
                    backup.path("bitsPerSecond").isNumber() ? String.format(Locale.ROOT, "%.1f Mbit/s", backup.path("bitsPerSecond").asDouble() / 1e6) : "speed unknown",
                    backup.path("latencyMs").isNumber() ? String.format(Locale.ROOT, "%.0f ms", backup.path("latencyMs").asDouble()) : "unknown",
                    backup.path("at").asText());
        }
        JsonNode bastion = d.path("bastion");
        if (bastion.path("controlled").asBoolean()) {
            out.printf(Locale.ROOT, "bastion  %s (%s mode), started %d, stopped %d%s%n", bastion.path("state").asText(), bastion.path("mode").asText(),
                    bastion.path("starts").asLong(), bastion.path("stops").asLong(), bastion.path("cloudCallInFlight").asBoolean() ? ", a cloud call in flight" : "");
        }
        JsonNode outage = d.path("outage");
        boolean outageActive = outage.path("active").asBoolean();
        if (outageActive) {
            out.println("outage   since " + outage.path("since").asText());
        }
        boolean anyTunnelUp = false;
        for (JsonNode t : d.path("tunnels")) {
            boolean up = "UP".equals(t.path("status").asText());
            anyTunnelUp |= up;
            out.printf(Locale.ROOT, "tunnel   %-10s %-10s since %s, reconnects %d%s%n", t.path("name").asText(), t.path("status").asText(),
                    t.path("since").asText(), t.path("reconnects").asLong(),
                    up || t.path("lastError").isNull() ? "" : " — " + t.path("lastError").asText());
        }
        JsonNode outbox = d.path("outbox");
        out.printf(Locale.ROOT, "alerts   %d waiting%n", outbox.path("pending").asInt());
        // a heartbeat that does not get through is trouble: the outside service is about to report the house dark
        trouble |= heartbeat(d.path("heartbeat"), out);
        trouble |= outageActive && !anyTunnelUp;
        trouble |= outbox.path("pending").asInt() > 0;
        out.flush();
        return trouble ? 1 : 0;
    }

    /** @return whether the last ping failed */
    private static boolean heartbeat(JsonNode h, PrintWriter out) {
        if (!h.path("configured").asBoolean()) {
            return false;
        }
        String head = String.format(Locale.ROOT, "heartbeat %s every %ds: ", h.path("host").asText(), h.path("everySeconds").asLong());
        if (h.path("lastPingAt").isNull() || h.path("lastPingAt").isMissingNode()) {
            out.println(head + "no ping yet");
            return false;
        }
        boolean failed = "failed".equals(h.path("lastResult").asText());
        out.println(head + h.path("lastSignal").asText() + " " + h.path("lastResult").asText() + " at " + h.path("lastPingAt").asText()
                + (failed ? " (" + h.path("lastError").asText() + "), last delivered " + h.path("lastSuccessAt").asText("never")
                        + ", " + h.path("failures").asLong() + " failed in all" : ""));
        return failed;
    }

    private static java.util.List<String> texts(JsonNode array) {
        java.util.List<String> l = new java.util.ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }
}
