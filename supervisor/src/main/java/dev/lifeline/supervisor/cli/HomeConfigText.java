package dev.lifeline.supervisor.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;

import dev.lifeline.supervisor.config.ConfigLoader;
import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.templates.spec.Provider;

/**
 * The supervisor config {@code lifeline init} writes (the {@code init-lifeline.yaml.mustache} resource), and the proof
 * that it starts: it must pass check-config before it replaces anything.
 *
 * <p>The bastion's address and instance are not known before {@code pulumi up}: they are placeholders that
 * {@code lifeline import} overwrites — a {@code .invalid} host name (RFC 6761: never resolves), so a supervisor started
 * too early connects nowhere.
 */
final class HomeConfigText {
    static final String HOST_PLACEHOLDER = "set-by-lifeline-import.invalid";
    private static final String INSTANCE_PLACEHOLDER = "i-00000000000000000";
    private static final String DROPLET_PLACEHOLDER = "1";

    /** One tunnel entry: its name (also the bastion user), loopback port there, and private key here. */
    record Tunnel(String name, int port, Path key) {
    }

    /**
     * @param twilio  accountSid, from, to and authTokenFile; null: no SMS alerts
     * @param webhook url and format; null: no webhook
     */
    record Values(String stack, Provider provider, Path configFile, String sshPort, String hostPublicKey, String mode,
                  String region, Path doTokenFile, List<Tunnel> tunnels, String local, Map<String, Object> twilio,
                  Map<String, Object> webhook) {
    }

    private HomeConfigText() {
    }

    static String of(Values v) throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("stack", v.stack());
        model.put("provider", v.provider().id());
        model.put("configFile", v.configFile().toString());
        model.put("host", HOST_PLACEHOLDER);
        model.put("sshPort", v.sshPort());
        model.put("hostKey", BastionSection.render(v.hostPublicKey()));
        model.put("mode", v.mode());
        model.put("aws", v.provider() == Provider.AWS);
        model.put("digitalocean", v.provider() == Provider.DIGITALOCEAN);
        model.put("region", v.region());
        model.put("instanceId", INSTANCE_PLACEHOLDER);
        model.put("dropletId", DROPLET_PLACEHOLDER);
        model.put("tokenFile", BastionSection.render(v.doTokenFile().toString()));
        List<Map<String, Object>> tunnels = new ArrayList<>();
        for (Tunnel t : v.tunnels()) {
            tunnels.add(Map.of("name", t.name(), "user", t.name(), "port", t.port(), "key", BastionSection.render(t.key().toString()),
                    "local", BastionSection.render(v.local())));
        }
        model.put("tunnels", tunnels);
        model.put("alerts", v.twilio() != null || v.webhook() != null);
        model.put("twilio", v.twilio() == null ? false : quoted(v.twilio()));
        model.put("webhook", v.webhook() == null ? false : quoted(v.webhook()));
        return template().execute(model);
    }

    /** Loads the text as check-config does, from a file beside the config. */
    static void requireValid(Path configFile, String text) throws IOException {
        Path dir = configFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path candidate = Files.createTempFile(dir, ".lifeline.yaml.init-", ".yaml");
        try {
            Files.writeString(candidate, text);
            try {
                ConfigLoader.load(candidate, new MachineChecks());
            } catch (ConfigException e) {
                throw new IllegalStateException("the config init made does not pass check-config: " + e.getMessage());
            }
        } finally {
            Files.deleteIfExists(candidate);
        }
    }

    /** The package installs lifeline.example.yaml as the config; an untouched copy holds nothing of the user's. */
    static boolean isShippedExample(Path file) throws IOException {
        try (InputStream in = HomeConfigText.class.getResourceAsStream("lifeline.example.yaml")) {
            return in != null && java.util.Arrays.equals(in.readAllBytes(), Files.readAllBytes(file));
        }
    }

    /** The values as YAML scalars (quoted where YAML would read them otherwise); a list stays a list of them. */
    private static Map<String, Object> quoted(Map<String, Object> values) {
        Map<String, Object> q = new HashMap<>();
        values.forEach((k, v) -> q.put(k, v instanceof List<?> l ? l.stream().map(BastionSection::render).toList() : BastionSection.render(v)));
        return q;
    }

    private static Template template() throws IOException {
        try (InputStream in = HomeConfigText.class.getResourceAsStream("init-lifeline.yaml.mustache")) {
            if (in == null) {
                throw new IllegalStateException("init-lifeline.yaml.mustache is missing from the jar");
            }
            return Mustache.compiler().escapeHTML(false).compile(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
