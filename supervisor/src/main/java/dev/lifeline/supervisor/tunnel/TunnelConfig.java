package dev.lifeline.supervisor.tunnel;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.settings.SecretFile;
import dev.lifeline.supervisor.settings.StartupChecks;
import dev.lifeline.templates.spec.TunnelService;

/**
 * One {@code tunnels:} entry: log in to the bastion as {@code user} with {@code key}, listen there on
 * 127.0.0.1:{@code remotePort}, and carry what arrives to {@code localHost:localPort} at home.
 *
 * @param bind    the home address to connect from (the one the router sends out via the backup line); null: any
 * @param service what it carries, as in the stack's tunnel entry: web (the default), ssh (the home's SSH, for which
 *                {@code lifeline ssh-config} writes a Host) or tcp
 */
public record TunnelConfig(String name, String user, Path key, int remotePort, String localHost, int localPort, String bind,
                           TunnelService service) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern REMOTE = Pattern.compile("(?:([^:\\s]+):)?(\\d{1,5})");
    private static final Pattern LOCAL = Pattern.compile("([^\\s:]+|\\[[0-9a-fA-F:]+\\]):(\\d{1,5})");
    private static final Pattern IP = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F:]+:[0-9a-fA-F:.]*");

    @JsonCreator
    static TunnelConfig read(@JsonProperty("name") String name, @JsonProperty("user") String user,
                             @JsonProperty("key") String key, @JsonProperty("remote") String remote,
                             @JsonProperty("local") String local, @JsonProperty("bind") String bind,
                             @JsonProperty("service") String service, @JacksonInject StartupChecks checks) {
        TunnelConfig tunnel = new TunnelConfig(name, user, key, remote, local, bind, service);
        ConfigValueException.check(List.of("key"), () -> checks.tunnelKey(tunnel.key()));
        return tunnel;
    }

    /** As written in the config file. */
    public TunnelConfig(String name, String user, String key, String remote, String local, String bind, String service) {
        this(name, user, keyPath(key), remotePort(remote), localHost(local), localPort(local), bind,
                service == null ? TunnelService.WEB : ConfigValueException.parseNamed("service", service, TunnelService::parse));
    }

    /** A web tunnel. */
    public TunnelConfig(String name, String user, Path key, int remotePort, String localHost, int localPort, String bind) {
        this(name, user, key, remotePort, localHost, localPort, bind, TunnelService.WEB);
    }

    public TunnelConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ConfigValueException("name", "name must be a short lower-case label such as primary (got " + name + ")");
        }
        if (user == null || !USER.matcher(user).matches()) {
            throw new ConfigValueException("user", "user must be the tunnel's Unix user on the bastion, e.g. tunnel1 (got " + user + ")");
        }
        if (bind != null && !IP.matcher(bind).matches()) {
            throw new ConfigValueException("bind", "bind must be an IP address of this host (got " + bind + ")");
        }
        // OpenSSH refuses a private key others can read ("UNPROTECTED PRIVATE KEY FILE"); so do we
        SecretFile.checked("key", key.toString());
        if (service == null) {
            service = TunnelService.WEB;
        }
    }

    public String remote() {
        return "127.0.0.1:" + remotePort;
    }

    /** This entry as the tunnels take it. */
    public TunnelTarget target() {
        return new TunnelTarget(name, user, key, remotePort, localHost, localPort, bind);
    }

    public String local() {
        return localHost + ":" + localPort;
    }

    private static Path keyPath(String key) {
        if (key == null || key.isBlank()) {
            throw new ConfigValueException("key", "key is missing; give the path of this tunnel's private key file");
        }
        return Path.of(key);
    }

    private static int remotePort(String remote) {
        Matcher m = REMOTE.matcher(remote == null ? "" : remote.trim());
        if (!m.matches()) {
            throw new ConfigValueException("remote", "remote must be 127.0.0.1:PORT, the tunnel's port on the bastion (got " + remote + ")");
        }
        String host = m.group(1);
        if (host != null && !host.equals("127.0.0.1")) {
            // The bastion admits exactly permitlisten="127.0.0.1:PORT"; "localhost" or 0.0.0.0 would be refused there.
            throw new ConfigValueException("remote", "remote must listen on 127.0.0.1, the only address the bastion allows tunnels (got " + remote + ")");
        }
        return port(m.group(2), "remote");
    }

    private static String localHost(String local) {
        return localMatch(local).group(1).replace("[", "").replace("]", "");
    }

    private static int localPort(String local) {
        return port(localMatch(local).group(2), "local");
    }

    private static Matcher localMatch(String local) {
        Matcher m = LOCAL.matcher(local == null ? "" : local.trim());
        if (!m.matches()) {
            throw new ConfigValueException("local", "local must be HOST:PORT of the home service to expose, e.g. 127.0.0.1:80 (got " + local + ")");
        }
        return m;
    }

    private static int port(String digits, String what) {
        int p = Integer.parseInt(digits);
        if (p < 1 || p > 65535) {
            throw new ConfigValueException(what, what + " port must be 1..65535 (got " + p + ")");
        }
        return p;
    }
}
