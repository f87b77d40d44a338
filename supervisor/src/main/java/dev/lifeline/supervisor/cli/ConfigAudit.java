package dev.lifeline.supervisor.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.lifeline.supervisor.cloud.TokenFile;
import dev.lifeline.supervisor.config.BackupLinkConfig;
import dev.lifeline.supervisor.config.ConfigException;
import dev.lifeline.supervisor.config.PrimaryLinkConfig;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.config.TunnelConfig;
import dev.lifeline.supervisor.config.YamlLines;
import dev.lifeline.supervisor.probe.IspLookups;
import dev.lifeline.supervisor.probe.Probes;
import dev.lifeline.supervisor.tunnel.Identity;

/**
 * What {@link dev.lifeline.supervisor.config.ConfigLoader} leaves to start-up: the loader checks each value's form,
 * the daemon parses probes, reads keys and tokens only when it starts them. Doing that here means a config that
 * passes {@code check-config} also starts. Every problem is collected (not only the first), each with its line.
 */
final class ConfigAudit {
    private final Path file;
    private final String text;
    private final List<String> problems = new ArrayList<>();

    private ConfigAudit(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    /** The problems of an already loaded config, as "FILE line N: key.path: message"; empty when it would start. */
    static List<String> of(Path file, String text, SupervisorConfig config) {
        ConfigAudit audit = new ConfigAudit(file, text);
        audit.tunnelKeys(config.tunnels());
        audit.tokenFile(config);
        if (config.links() != null) {
            audit.primary(config.links().primary());
            audit.backup(config.links().backup());
        }
        audit.stateDir(config.stateDir());
        return List.copyOf(audit.problems);
    }

    private void tunnelKeys(List<TunnelConfig> tunnels) {
        for (int i = 0; i < tunnels.size(); i++) {
            Path key = tunnels.get(i).key();
            // the loader saw a private file; only parsing it shows it is an unencrypted OpenSSH key
            check(List.of("tunnels", i, "key"), () -> Identity.load(key));
        }
    }

    private void tokenFile(SupervisorConfig config) {
        var aws = config.bastion().aws();
        if (aws != null && aws.credentialsFile() != null) {
            check(List.of("bastion", "aws", "credentialsFile"),
                    () -> dev.lifeline.supervisor.cloud.AwsCredentialsFile.check("credentialsFile", aws.credentialsFile()));
        }
        var d = config.bastion().digitalocean();
        if (d != null) {
            check(List.of("bastion", "digitalocean", "tokenFile"), () -> TokenFile.read("tokenFile", d.tokenFile()));
        }
        Path statusToken = config.status().tokenFile();
        if (statusToken != null) {
            // as the status server reads it at start: the file's rules, then the token's length
            check(List.of("status", "tokenFile"), () -> new dev.lifeline.supervisor.status.BearerToken(TokenFile.read("status.tokenFile", statusToken)));
        }
    }

    private void primary(PrimaryLinkConfig p) {
        if (p == null) {
            return;
        }
        for (int i = 0; i < p.probes().size(); i++) {
            String target = p.probes().get(i);
            check(List.of("links", "primary", "probes", i), () -> Probes.parse(target, p.bind(), p.timeout()));
        }
        if (p.egressIsp() != null) {
            check(List.of("links", "primary", "egressIsp"), () -> IspLookups.parse(p.egressIsp(), p.bind(), p.timeout()));
        }
    }

    private void backup(BackupLinkConfig b) {
        if (b == null) {
            return;
        }
        Duration timeout = b.timeout();
        check(List.of("links", "backup", "ispLookup"), () -> IspLookups.parse(b.ispLookup(), b.bind(), timeout));
        for (int i = 0; i < b.latencyProbes().size(); i++) {
            String target = b.latencyProbes().get(i);
            check(List.of("links", "backup", "latencyProbes", i), () -> Probes.parse(target, b.bind(), timeout));
        }
        for (int i = 0; i < b.speedUrls().size(); i++) {
            String url = b.speedUrls().get(i);
            check(List.of("links", "backup", "speedUrls", i), () -> url(url));
        }
        if (b.bastionSpeedUrl() != null) {
            check(List.of("links", "backup", "bastionSpeedUrl"), () -> url(b.bastionSpeedUrl()));
        }
    }

    private void stateDir(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            problems.add(at(List.of("stateDir")) + "stateDir " + dir + " is not a directory; give a directory (the package uses /var/lib/lifeline)");
        }
    }

    private static Object url(String url) {
        try {
            URI u = new URI(url);
            if (u.getHost() == null) {
                throw new IllegalArgumentException("'" + url + "' has no host; write e.g. https://speed.cloudflare.com/__down?bytes=25000000");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL (" + e.getReason() + "); write e.g. https://speed.cloudflare.com/__down?bytes=25000000");
        }
    }

    private void check(List<Object> path, Runnable parse) {
        try {
            parse.run();
        } catch (IllegalArgumentException | ConfigException e) {
            // the parsers' messages name the value and the fix; Identity's and TokenFile's never quote file content
            problems.add(at(path) + e.getMessage());
        }
    }

    private String at(List<Object> path) {
        int line = YamlLines.lineOf(text, path);
        return file + (line > 0 ? " line " + line : "") + ": " + dotted(path) + ": ";
    }

    private static String dotted(List<Object> path) {
        StringBuilder sb = new StringBuilder();
        for (Object step : path) {
            sb.append(step instanceof Integer i ? "[" + i + "]" : (sb.length() == 0 ? "" : ".") + step);
        }
        return sb.toString();
    }
}
