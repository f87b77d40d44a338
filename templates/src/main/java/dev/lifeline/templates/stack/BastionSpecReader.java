package dev.lifeline.templates.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.spec.Cidr;
import dev.lifeline.templates.spec.HostKey;
import dev.lifeline.templates.spec.LogTarget;
import dev.lifeline.templates.spec.Provider;
import dev.lifeline.templates.spec.Secret;
import dev.lifeline.templates.spec.SshPublicKey;
import dev.lifeline.templates.spec.TunnelService;
import dev.lifeline.templates.spec.TunnelSpec;
import dev.lifeline.templates.spec.TwilioSpec;
import dev.lifeline.templates.spec.WebSpec;

/**
 * Turns a stack's {@code lifeline:*} keys into a {@link BastionSpec}, or fails with every problem named —
 * before any resource exists. The one place that knows the keys, their defaults and their limits;
 * {@code stacks/*.yaml} documents the same keys for people.
 */
public final class BastionSpecReader {
    static final Set<String> KEYS = Set.of("provider", "region", "size", "image", "sshPort", "adminUser", "adminKeys",
            "tunnels", "knownGoodIps", "sshAllowFrom", "twilio", "twilioAuthToken", "web", "logTarget", "hostKey",
            "autoRebootTime", "clientAliveInterval", "clientAliveCountMax", "homeDarkAfter", "tunnelWatchdogQuiet", "supervisorRole");

    // Ports every internet-wide scanner tries after 22; moving there buys no quiet.
    private static final Set<Integer> SCANNED_SSH_PORTS = Set.of(22, 222, 2222, 22222, 2200, 8022);
    private static final Pattern UNIX_USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern DO_REGION = Pattern.compile("[a-z]{3}\\d");
    private static final Pattern SIZE = Pattern.compile("[a-z0-9][a-z0-9.-]*");
    private static final Pattern AMI = Pattern.compile("ami-[0-9a-f]{8,17}");
    private static final Pattern DEBIAN_RELEASE = Pattern.compile("debian-1[2-9]");
    private static final Pattern DO_IMAGE = Pattern.compile("[a-z0-9][a-z0-9.-]*|\\d+");
    private static final Pattern TWILIO_SID = Pattern.compile("AC[0-9a-f]{32}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
    private static final Pattern MESSAGING_SERVICE = Pattern.compile("MG[0-9a-f]{32}");
    private static final Pattern HOSTNAME = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
    // Strict on purpose: the address reaches a root shell script (certbot's --email).
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
    // Twilio auth tokens are 32 hex digits; anything else reaching the root-only env file is refused.
    private static final Pattern TWILIO_TOKEN = Pattern.compile("[0-9a-f]{32}");
    // System accounts Debian already has: cloud-init would give them our keys (and sudo) instead of a new user.
    private static final Set<String> RESERVED_USERS = Set.of("root", "daemon", "bin", "sys", "sync", "games", "man", "lp",
            "mail", "news", "uucp", "proxy", "www-data", "backup", "list", "irc", "gnats", "nobody", "_apt", "sshd",
            "messagebus", "systemd-network", "systemd-resolve", "systemd-timesync", "systemd-coredump", "polkitd", "tss",
            "ntp", "_chrony", "uuidd", "tcpdump", "syslog", "debian", "ubuntu", "ec2-user", "nginx", "fail2ban");
    // Narrower than this, "known good" means a whole provider or country: no alert would ever be sent.
    private static final int MIN_KNOWN_GOOD_V4_PREFIX = 16;
    private static final int MIN_KNOWN_GOOD_V6_PREFIX = 48;
    private static final Pattern LOG_TARGET = Pattern.compile("(tls|tcp|udp)://([A-Za-z0-9.-]+|\\[[0-9a-fA-F:]+\\])(?::(\\d{1,5}))?");
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");
    // The supervisor config's form (5s, 10m, 1h), and milliseconds for the watchdog's seconds-scale quiet time.
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})\\s*(ms|s|m|h)");
    private static final Duration HOME_DARK_AFTER = Duration.ofMinutes(5);
    // The supervisor retries a lost tunnel at least every 30 s (backoffMax) and a connect may take 20 s more
    // (connectTimeout + authTimeout): below a minute an ordinary reconnect would already read as a dark home.
    private static final Duration MIN_HOME_DARK_AFTER = Duration.ofMinutes(1);
    private static final Duration MAX_HOME_DARK_AFTER = Duration.ofHours(24);
    // The bastion's tunnel watchdog ends a session that has not answered through its health port for this long. 3.5 s
    // frees a frozen home's port within the 5 s target (TunnelWatchdogIT); a home on a very bad backup line may buy
    // calm with a longer one (LossyLineIT: at 20 % loss and 600 ms, one healthy session in 13 tunnel-minutes ended).
    private static final Duration TUNNEL_WATCHDOG_QUIET = Duration.ofMillis(3500);
    // It asks every 500 ms and a late answer counts for a second before data does: under 2 s one lost answer would
    // end a healthy session.
    private static final Duration MIN_TUNNEL_WATCHDOG_QUIET = Duration.ofSeconds(2);
    // sshd's own ClientAlive ends an idle dead session within (count + 1) × 2 × interval ≤ 60 s (see below); a watchdog
    // slower than that frees nothing sshd would not.
    private static final Duration MAX_TUNNEL_WATCHDOG_QUIET = Duration.ofSeconds(60);
    // IAM API reference, RoleName: "Length Constraints: Minimum length of 1. Maximum length of 64. Pattern: [\w+=,.@-]+"
    private static final Pattern IAM_ROLE_NAME = Pattern.compile("[A-Za-z0-9_+=,.@-]{1,64}");

    private final StackValues values;
    private final Problems problems = new Problems();

    private BastionSpecReader(StackValues values) {
        this.values = values;
    }

    public static BastionSpec read(StackValues values) {
        return new BastionSpecReader(values).read();
    }

    private BastionSpec read() {
        for (String key : values.keys()) {
            if (!KEYS.contains(key)) {
                problems.add(key, "is not a lifeline setting; remove it (`pulumi config rm lifeline:" + key
                        + "`) or fix the spelling — the keys are listed in stacks/Pulumi.aws-example.yaml");
            }
        }
        Provider provider = provider();
        Provider p = provider == null ? Provider.AWS : provider;
        String region = text("region").orElse(p.defaultRegion());
        if (!(p == Provider.AWS ? AWS_REGION : DO_REGION).matcher(region).matches()) {
            problems.add("region", "'" + region + "' is not a " + p.id() + " region; e.g. " + p.defaultRegion());
        }
        String size = text("size").orElse(p.defaultSize());
        if (!SIZE.matcher(size).matches()) {
            problems.add("size", "'" + size + "' is not an instance size; e.g. " + p.defaultSize());
        }
        String image = image(p);
        int sshPort = sshPort();
        String adminUser = text("adminUser").orElse("admin");
        if (!UNIX_USER.matcher(adminUser).matches() || RESERVED_USERS.contains(adminUser)) {
            problems.add("adminUser", "'" + adminUser + "' is not usable as the admin's Unix name; use lower-case"
                    + " letters, digits, '-' or '_', not a system account such as root or www-data; e.g. admin");
        }
        List<SshPublicKey> adminKeys = adminKeys();
        List<TunnelSpec> tunnels = tunnels(sshPort, adminUser, adminKeys);
        List<Cidr> knownGood = cidrs("knownGoodIps", List.of());
        for (int i = 0; i < knownGood.size(); i++) {
            Cidr c = knownGood.get(i);
            int min = c.isIpv6() ? MIN_KNOWN_GOOD_V6_PREFIX : MIN_KNOWN_GOOD_V4_PREFIX;
            if (c.prefix() < min) {
                problems.add("knownGoodIps[" + i + "]", c + " is too wide to be known good (logins from it send no SMS"
                        + " and fail2ban ignores it); list your own addresses, at most a /" + min);
            }
        }
        List<Cidr> allowFrom = cidrs("sshAllowFrom", List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")));
        if (values.get("sshAllowFrom").isPresent() && allowFrom.isEmpty()) {
            problems.add("sshAllowFrom", "is empty, which would lock everyone out; leave it unset to allow every address");
        }
        Optional<TwilioSpec> twilio = twilio();
        Optional<WebSpec> web = web();
        if (web.isPresent() && !tunnels.isEmpty() && tunnels.stream().noneMatch(TunnelSpec::web)) {
            problems.add("web", "is on but no tunnel carries the web service; give one tunnel service: web (the default),"
                    + " or set web: false");
        }
        Optional<LogTarget> logTarget = logTarget();
        HostKey hostKey = hostKey();
        String reboot = text("autoRebootTime").orElse("04:00");
        if (!TIME.matcher(reboot).matches()) {
            problems.add("autoRebootTime", "'" + reboot + "' is not a time of day; give HH:MM in the bastion's UTC, e.g. 04:00");
        }
        int aliveInterval = integer("clientAliveInterval", 2, 1, 60);
        int aliveCount = integer("clientAliveCountMax", 2, 1, 10);
        // Debian 12's sshd (OpenSSH 9.2) checks about every 2 × interval, so a dead client goes after
        // (count + 1) × 2 × interval; beyond a minute a dead tunnel blocks its port far too long.
        if ((aliveCount + 1) * 2 * aliveInterval > 60) {
            problems.add("clientAliveInterval", "× clientAliveCountMax lets a dead tunnel hold its port for "
                    + (aliveCount + 1) * 2 * aliveInterval + " s on Debian 12's sshd; keep (count + 1) × 2 × interval ≤ 60");
        }
        Duration homeDarkAfter = homeDarkAfter();
        Duration watchdogQuiet = tunnelWatchdogQuiet();
        Optional<String> supervisorRole = supervisorRole(p);
        if (problems.any()) {
            throw new StackConfigException(values.stackName(), problems.lines());
        }
        return new BastionSpec(values.stackName(), provider, region, size, image, sshPort, adminUser, adminKeys,
                tunnels, knownGood, allowFrom, twilio, web, logTarget, hostKey, reboot, aliveInterval, aliveCount, homeDarkAfter,
                watchdogQuiet, supervisorRole);
    }

    private Provider provider() {
        Optional<String> text = text("provider");
        if (text.isEmpty()) {
            problems.add("provider", "is not set; `pulumi config set lifeline:provider aws` (or digitalocean)");
            return null;
        }
        Optional<Provider> p = Provider.parse(text.get());
        if (p.isEmpty()) {
            problems.add("provider", "'" + text.get() + "' is not supported; use aws or digitalocean");
        }
        return p.orElse(null);
    }

    private String image(Provider p) {
        String image = text("image").orElse(p.defaultImage());
        boolean ok = p == Provider.AWS
                ? AMI.matcher(image).matches() || DEBIAN_RELEASE.matcher(image).matches()
                : DO_IMAGE.matcher(image).matches();
        if (!ok) {
            problems.add("image", "'" + image + "' is not " + (p == Provider.AWS
                    ? "an AMI id (ami-…) or a Debian release (debian-12) to look up"
                    : "a DigitalOcean image slug or id, e.g. debian-12-x64"));
        }
        return image;
    }

    private int sshPort() {
        Optional<String> text = text("sshPort");
        if (text.isEmpty()) {
            problems.add("sshPort", "is not set; pick an unusual high port, e.g. `pulumi config set lifeline:sshPort 47022`");
            return 0;
        }
        int port = parsePort("sshPort", text.get());
        if (port == 0) {
            return 0;
        }
        if (SCANNED_SSH_PORTS.contains(port)) {
            problems.add("sshPort", "must not be " + port + ": scanners try it first; pick an unusual port between 1024 and 65535, e.g. 47022");
        } else if (port < 1024) {
            problems.add("sshPort", "is " + port + "; pick an unusual port between 1024 and 65535, e.g. 47022");
        }
        return port;
    }

    private int parsePort(String key, String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key, "'" + text + "' is not a TCP port; give a number between 1024 and 65535");
        return 0;
    }

    private List<SshPublicKey> adminKeys() {
        List<String> lines = textList("adminKeys");
        if (lines == null) {
            return List.of();
        }
        if (lines.isEmpty()) {
            problems.add("adminKeys", "is not set; add your public key: pulumi config set --path 'lifeline:adminKeys[0]' \"$(cat ~/.ssh/id_ed25519.pub)\"");
        }
        List<SshPublicKey> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int at = i;
            SshPublicKey k = problems.attempt("adminKeys[" + i + "]", () -> SshPublicKey.parse(lines.get(at)));
            if (k != null) {
                keys.add(k);
            }
        }
        return keys;
    }

    private List<TunnelSpec> tunnels(int sshPort, String adminUser, List<SshPublicKey> adminKeys) {
        Optional<JsonNode> node = values.get("tunnels");
        if (node.isEmpty() || !node.get().isArray() || node.get().isEmpty()) {
            problems.add("tunnels", "must list at least one tunnel {name, port, publicKey}; see stacks/Pulumi.aws-example.yaml");
            return List.of();
        }
        List<TunnelSpec> tunnels = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<Integer, String> ports = new HashMap<>();
        Map<String, String> keyOwners = new HashMap<>();
        adminKeys.forEach(k -> keyOwners.put(k.keyText(), "adminKeys"));
        JsonNode list = node.get();
        for (int i = 0; i < list.size(); i++) {
            String at = "tunnels[" + i + "]";
            JsonNode t = list.get(i);
            if (!t.isObject()) {
                problems.add(at, "must be an object {name, port, publicKey}");
                continue;
            }
            t.fieldNames().forEachRemaining(f -> {
                if (!Set.of("name", "port", "publicKey", "service").contains(f)) {
                    problems.add(at + "." + f, "is not a tunnel setting; a tunnel has name, port, publicKey and optionally service");
                }
            });
            String name = t.path("name").asText("");
            if (!UNIX_USER.matcher(name).matches()) {
                problems.add(at + ".name", "'" + name + "' is not usable as the tunnel's Unix user; use lower-case letters,"
                        + " digits, '-' or '_', e.g. tunnel1");
            } else if (RESERVED_USERS.contains(name)) {
                problems.add(at + ".name", "'" + name + "' is a system account on Debian; give the tunnel a name of its own, e.g. tunnel1");
            } else if (!names.add(name) || name.equals(adminUser)) {
                problems.add(at + ".name", "'" + name + "' is used twice (or is the admin); give every tunnel its own name");
            }
            int port = t.hasNonNull("port") ? parsePort(at + ".port", t.get("port").asText()) : 0;
            if (!t.hasNonNull("port")) {
                problems.add(at + ".port", "is not set; give the bastion loopback port for this tunnel, e.g. 29000");
            } else if (port != 0) {
                int health = TunnelSpec.healthPortOf(port);
                if (port < 1024) {
                    problems.add(at + ".port", "is " + port + "; tunnel users cannot listen below 1024, use e.g. 29000");
                } else if (port == 65535) {
                    problems.add(at + ".port", "is 65535; the tunnel also needs the next port for its health check, use e.g. 29000");
                } else if (port == sshPort) {
                    problems.add(at + ".port", "is the SSH port " + port + "; give the tunnel a port of its own");
                } else if (health == sshPort) {
                    problems.add(at + ".port", port + " needs the next port " + health + " for its health check, and that is the SSH port;"
                            + " give the tunnel a port of its own");
                } else if (ports.containsKey(port)) {
                    problems.add(at + ".port", port + " is already " + ports.get(port) + "; ports must be unique, with a gap of 2"
                            + " (each tunnel also holds the next port, its health check), e.g. 29000 and 39000");
                } else if (ports.containsKey(health)) {
                    problems.add(at + ".port", port + " needs the next port " + health + " for its health check, and that is already "
                            + ports.get(health) + "; leave a gap of 2 between tunnel ports, e.g. 29000 and 39000");
                }
                ports.putIfAbsent(port, name + "'s port");
                ports.putIfAbsent(health, name + "'s health port");
            }
            String keyText = t.path("publicKey").asText("");
            SshPublicKey key = problems.attempt(at + ".publicKey", () -> SshPublicKey.parse(keyText));
            if (key != null && keyOwners.containsKey(key.keyText())) {
                problems.add(at + ".publicKey", "is also used by " + keyOwners.get(key.keyText())
                        + "; every tunnel needs its own key so one stolen key opens one port only");
            } else if (key != null) {
                keyOwners.put(key.keyText(), at);
            }
            TunnelService service = t.hasNonNull("service")
                    ? problems.attempt(at + ".service", () -> TunnelService.parse(t.get("service").asText()))
                    : TunnelService.WEB;
            if (key != null && port != 0 && service != null) {
                tunnels.add(new TunnelSpec(name, port, key, service));
            }
        }
        return tunnels;
    }

    private List<Cidr> cidrs(String key, List<Cidr> fallback) {
        List<String> items = textList(key);
        if (items == null || values.get(key).isEmpty()) {
            return fallback;
        }
        List<Cidr> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            int at = i;
            Cidr c = problems.attempt(key + "[" + i + "]", () -> Cidr.parse(items.get(at)));
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    private Optional<TwilioSpec> twilio() {
        Optional<JsonNode> node = values.get("twilio");
        boolean tokenSet = values.get("twilioAuthToken").isPresent() || values.isEncrypted("twilioAuthToken");
        if (node.isEmpty()) {
            if (tokenSet) {
                problems.add("twilio", "is not set but twilioAuthToken is; add {accountSid, from, to} or remove the token");
            }
            return Optional.empty();
        }
        JsonNode t = node.get();
        if (!t.isObject()) {
            problems.add("twilio", "must be an object {accountSid, from, to}");
            return Optional.empty();
        }
        t.fieldNames().forEachRemaining(f -> {
            if (!Set.of("accountSid", "from", "to").contains(f)) {
                problems.add("twilio." + f, f.equals("authToken")
                        ? "must not be here in plain text; `pulumi config set --secret lifeline:twilioAuthToken` and rotate the token"
                        : "is not a Twilio setting; give accountSid, from and to");
            }
        });
        String sid = t.path("accountSid").asText("");
        if (!TWILIO_SID.matcher(sid).matches()) {
            problems.add("twilio.accountSid", "'" + sid + "' is not a Twilio account SID (AC followed by 32 hex digits, from the Twilio console)");
        }
        String from = t.path("from").asText("");
        if (!E164.matcher(from).matches() && !MESSAGING_SERVICE.matcher(from).matches()) {
            problems.add("twilio.from", "'" + from + "' is not a phone number in E.164 form (+14155550100) or a messaging service SID (MG…)");
        }
        List<String> to = new ArrayList<>();
        JsonNode toNode = t.path("to");
        if (toNode.isTextual()) {
            to.add(toNode.asText());
        } else {
            toNode.forEach(n -> to.add(n.asText()));
        }
        if (to.isEmpty()) {
            problems.add("twilio.to", "lists no phone number; give at least one in E.164 form, e.g. [\"+14155550100\"]");
        }
        for (int i = 0; i < to.size(); i++) {
            if (!E164.matcher(to.get(i)).matches()) {
                problems.add("twilio.to[" + i + "]", "'" + to.get(i) + "' is not a phone number in E.164 form, e.g. +14155550100");
            }
        }
        Secret token = secret("twilioAuthToken",
                "pulumi config set --secret lifeline:twilioAuthToken (the Auth Token from the Twilio console)");
        if (token != null && token.isAvailable() && !TWILIO_TOKEN.matcher(token.reveal()).matches()) {
            problems.add("twilioAuthToken", "is not a Twilio auth token (32 hex digits, from the Twilio console);"
                    + " set it again with pulumi config set --secret lifeline:twilioAuthToken");
        }
        return Optional.of(new TwilioSpec(sid, token, from, to));
    }

    private Optional<WebSpec> web() {
        Optional<JsonNode> node = values.get("web");
        if (node.isEmpty()) {
            return Optional.empty();
        }
        JsonNode w = node.get();
        if (w.isValueNode()) {
            String v = w.asText().trim();
            if (v.equals("false") || v.isEmpty()) {
                return Optional.empty();
            }
            if (v.equals("true")) {
                return Optional.of(new WebSpec(null, null));
            }
            problems.add("web", "'" + v + "' is not a web setting; give {} (self-signed), {domain, email} or false");
            return Optional.empty();
        }
        w.fieldNames().forEachRemaining(f -> {
            if (!Set.of("domain", "email").contains(f)) {
                problems.add("web." + f, "is not a web setting; give domain and email (both, or neither for a self-signed certificate)");
            }
        });
        String domain = w.hasNonNull("domain") ? w.get("domain").asText().trim().toLowerCase(java.util.Locale.ROOT) : null;
        String email = w.hasNonNull("email") ? w.get("email").asText().trim() : null;
        if (domain != null && !HOSTNAME.matcher(domain).matches()) {
            problems.add("web.domain", "'" + domain + "' is not a DNS name, e.g. home.example.com");
        }
        if (email != null && !EMAIL.matcher(email).matches()) {
            problems.add("web.email", "'" + email + "' is not an email address (Let's Encrypt sends expiry notices there)");
        }
        if ((domain == null) != (email == null)) {
            problems.add(domain == null ? "web.domain" : "web.email", "is missing: Let's Encrypt needs both domain and email;"
                    + " give both, or neither for a self-signed certificate");
        }
        return Optional.of(new WebSpec(domain, email));
    }

    private Optional<LogTarget> logTarget() {
        Optional<String> text = text("logTarget");
        if (text.isEmpty() || text.get().isBlank()) {
            return Optional.empty();
        }
        var m = LOG_TARGET.matcher(text.get().trim());
        if (!m.matches()) {
            problems.add("logTarget", "'" + text.get() + "' is not a syslog target; give tls://host:port (encrypted, the receiver's"
                    + " certificate checked), or tcp:// / udp:// (clear text), e.g. tls://logs.example.com:6514");
            return Optional.empty();
        }
        // 6514: syslog over TLS (RFC 5425); 514: plain syslog
        int port = m.group(3) == null ? (m.group(1).equals("tls") ? 6514 : 514) : parsePort("logTarget", m.group(3));
        String host = m.group(2).replace("[", "").replace("]", "");
        return Optional.of(new LogTarget(m.group(1), host, port));
    }

    /** AWS only: a DigitalOcean token cannot be limited to one droplet, so there is no policy to give a role. */
    private Optional<String> supervisorRole(Provider p) {
        Optional<String> role = text("supervisorRole").map(String::trim).filter(r -> !r.isEmpty());
        if (role.isEmpty()) {
            return Optional.empty();
        }
        if (p != Provider.AWS) {
            problems.add("supervisorRole", "is for AWS only (an IAM role); on DigitalOcean give the supervisor a token"
                    + " with the scopes the README lists, and remove it: pulumi config rm lifeline:supervisorRole");
            return Optional.empty();
        }
        if (!IAM_ROLE_NAME.matcher(role.get()).matches()) {
            problems.add("supervisorRole", "'" + role.get() + "' is not an IAM role name: give the name, not the ARN"
                    + " (1 to 64 letters, digits and _+=,.@-), e.g. lifeline-pi");
            return Optional.empty();
        }
        return role;
    }

    private HostKey hostKey() {
        Secret s = secret("hostKey", "ssh-keygen -t ed25519 -N '' -C lifeline-bastion -f bastion_host_key &&"
                + " pulumi config set --secret lifeline:hostKey < bastion_host_key");
        if (s == null) {
            return null;
        }
        HostKey key = problems.attempt("hostKey", () -> HostKey.parse(s));
        return key;
    }

    private Secret secret(String key, String howToSet) {
        if (values.isEncrypted(key)) {
            return Secret.unavailable(key);
        }
        Optional<String> text = text(key);
        if (text.isEmpty() || text.get().isBlank()) {
            problems.add(key, "is not set; " + howToSet);
            return null;
        }
        if (!values.isSecret(key)) {
            problems.add(key, "is stored in plain text; store it as a secret: " + howToSet
                    + " — and replace the value, it has been exposed");
            return null;
        }
        return Secret.of(key, text.get());
    }

    private int integer(String key, int fallback, int min, int max) {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(text.get().trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key, "'" + text.get() + "' must be a whole number from " + min + " to " + max + " (default " + fallback + ")");
        return fallback;
    }

    /** How long every tunnel port may be without a listener before the bastion's home-watch sends its SMS. */
    private Duration homeDarkAfter() {
        Optional<Duration> d = duration("homeDarkAfter", "5m, 90s or 1h (default 5m)");
        if (d.isEmpty()) {
            return HOME_DARK_AFTER;
        }
        String given = text("homeDarkAfter").orElseThrow();
        if (d.get().compareTo(MIN_HOME_DARK_AFTER) < 0) {
            problems.add("homeDarkAfter", "'" + given + "' is shorter than 1m: a tunnel's ordinary reconnect (retried"
                    + " at least every 30 s) would send the SMS; give 1m or more, e.g. 5m (the default)");
        } else if (d.get().compareTo(MAX_HOME_DARK_AFTER) > 0) {
            problems.add("homeDarkAfter", "'" + given + "' is longer than 24h; an alert that late helps nobody; give at most 24h, e.g. 5m (the default)");
        }
        return d.get();
    }

    /** How long the bastion's tunnel watchdog lets a tunnel go unanswered before it ends that tunnel's sshd session. */
    private Duration tunnelWatchdogQuiet() {
        Optional<Duration> d = duration("tunnelWatchdogQuiet", "3500ms, 8s (default 3500ms)");
        if (d.isEmpty()) {
            return TUNNEL_WATCHDOG_QUIET;
        }
        String given = text("tunnelWatchdogQuiet").orElseThrow();
        if (d.get().compareTo(MIN_TUNNEL_WATCHDOG_QUIET) < 0) {
            problems.add("tunnelWatchdogQuiet", "'" + given + "' is shorter than 2s: the watchdog asks every 500 ms, and one"
                    + " answer lost on the line would end a healthy tunnel; give 2s or more, e.g. 3500ms (the default)");
        } else if (d.get().compareTo(MAX_TUNNEL_WATCHDOG_QUIET) > 0) {
            problems.add("tunnelWatchdogQuiet", "'" + given + "' is longer than 60s: sshd's own ClientAlive frees a dead"
                    + " tunnel's port within a minute; give at most 60s, e.g. 8s for a very bad backup line");
        }
        return d.get();
    }

    /**
     * A number and a unit (ms, s, m or h) under {@code key}: empty when it is not set (the default applies) or not a
     * duration (then reported, with {@code examples}).
     */
    private Optional<Duration> duration(String key, String examples) {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        var m = DURATION.matcher(text.get().trim());
        if (!m.matches()) {
            problems.add(key, "'" + text.get() + "' is not a duration; write a number and a unit (ms, s, m or h),"
                    + " e.g. " + examples);
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        });
    }

    private Optional<String> text(String key) {
        Optional<JsonNode> node = values.get(key);
        if (node.isPresent() && !node.get().isValueNode()) {
            problems.add(key, "must be a single value, not a list or object");
            return Optional.empty();
        }
        return node.map(JsonNode::asText);
    }

    /** A list of strings; a single string counts as a list of one. Null after reporting a wrong shape. */
    private List<String> textList(String key) {
        Optional<JsonNode> node = values.get(key);
        if (node.isEmpty()) {
            return List.of();
        }
        JsonNode n = node.get();
        if (n.isValueNode()) {
            return n.asText().isBlank() ? List.of() : List.of(n.asText());
        }
        if (!n.isArray()) {
            problems.add(key, "must be a list");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isValueNode()) {
                problems.add(key, "must be a list of strings");
                return null;
            }
            out.add(item.asText());
        }
        return out;
    }
}
