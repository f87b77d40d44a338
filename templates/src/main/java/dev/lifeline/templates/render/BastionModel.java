package dev.lifeline.templates.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.spec.Cidr;
import dev.lifeline.templates.spec.SshPublicKey;
import dev.lifeline.templates.spec.TunnelSpec;

/** What the templates see: the spec's values in the shapes the files want them, and the layout. */
final class BastionModel {
    /** How often the home watch looks for a tunnel listener: ss once, a few ms of work, against a wait of minutes. */
    static final int HOME_WATCH_EVERY_SECONDS = 10;
    /** How often the tunnel watchdog asks each health port; why, in its unit template (the quiet time is the stack's). */
    static final int WATCHDOG_EVERY_MS = 500;

    private BastionModel() {
    }

    static Map<String, Object> of(BastionSpec spec, BastionLayout layout) {
        Map<String, Object> m = new HashMap<>();
        m.put("root", layout.root());
        m.put("stackName", spec.stackName());
        // The stack name as a host may carry it (prod_eu -> lifeline-prod-eu); see BastionName.
        m.put("hostname", spec.name().value());
        m.put("sshPort", spec.sshPort());
        m.put("listenAddresses", layout.sshListen());
        m.put("httpListen", layout.httpListen());
        m.put("httpsListen", layout.httpsListen());
        m.put("twilioApi", layout.twilioApi());
        m.put("adminUser", spec.adminUser());
        m.put("adminKeys", spec.adminKeys().stream().map(k -> Map.of("line", k.line())).collect(Collectors.toList()));
        m.put("allowUsers", String.join(" ", spec.allowedUsers()));
        m.put("clientAliveInterval", spec.clientAliveInterval());
        m.put("clientAliveCountMax", spec.clientAliveCountMax());
        m.put("deadClientSeconds", (spec.clientAliveCountMax() + 1) * 2 * spec.clientAliveInterval());
        m.put("tunnels", tunnels(spec.tunnels()));
        List<TunnelSpec> web = spec.tunnels().stream().filter(TunnelSpec::web).collect(Collectors.toList());
        m.put("webTunnels", tunnels(web));
        m.put("webTunnelCount", web.size());
        // the admin's -L/-J may reach the tunnels' ports and nothing else on the bastion
        m.put("adminPermitOpen", spec.tunnels().stream().map(TunnelSpec::listen).collect(Collectors.joining(" ")));
        m.put("tunnelUsers", spec.tunnels().stream().map(TunnelSpec::name).collect(Collectors.joining(" ")));
        m.put("tunnelPorts", spec.tunnels().stream().map(t -> String.valueOf(t.port())).collect(Collectors.joining(" ")));
        m.put("homeDarkAfterSeconds", spec.homeDarkAfter().toSeconds());
        m.put("homeWatchEverySeconds", HOME_WATCH_EVERY_SECONDS);
        m.put("healthPorts", spec.tunnels().stream().map(t -> String.valueOf(t.healthPort())).collect(Collectors.joining(" ")));
        m.put("watchdogQuietMs", spec.tunnelWatchdogQuiet().toMillis());
        m.put("watchdogEveryMs", WATCHDOG_EVERY_MS);
        m.put("knownGoodIps", spec.knownGoodIps().stream().map(Cidr::toString).collect(Collectors.joining(" ")));
        m.put("autoRebootTime", spec.autoRebootTime());
        m.put("twilio", spec.twilio().map(t -> Map.of(
                "accountSid", t.accountSid(),
                "authToken", t.authToken().reveal(),
                "from", t.from(),
                "fromField", t.fromField(),
                "to", String.join(" ", t.to()))).orElse(null));
        m.put("web", spec.webEnabled());
        boolean le = spec.web().map(w -> w.letsEncrypt()).orElse(false);
        m.put("letsEncrypt", le);
        m.put("domain", spec.web().map(w -> w.domain()).orElse(""));
        m.put("speedPath", spec.speedPath());
        m.put("onAws", spec.provider() == dev.lifeline.templates.spec.Provider.AWS);
        m.put("email", spec.web().map(w -> w.email()).orElse(""));
        m.put("serverName", le ? spec.web().get().domain() : spec.name().value());
        m.put("logTarget", spec.logTarget().map(t -> Map.<String, Object>of("target", t.toString(), "host", t.host(), "port", t.port(),
                "protocol", t.tcp() ? "tcp" : "udp", "tls", t.tls(), "caFile", layout.root() + "/etc/ssl/certs/ca-certificates.crt")).orElse(null));
        return m;
    }

    private static List<Map<String, Object>> tunnels(List<TunnelSpec> tunnels) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < tunnels.size(); i++) {
            TunnelSpec t = tunnels.get(i);
            SshPublicKey k = t.publicKey();
            Map<String, Object> tm = new HashMap<>();
            tm.put("name", t.name());
            tm.put("port", t.port());
            tm.put("healthPort", t.healthPort());
            tm.put("backup", i > 0);
            tm.put("options", t.authorizedKeysOptions());
            tm.put("keyText", k.keyText());
            tm.put("comment", k.comment());
            out.add(tm);
        }
        return out;
    }
}
