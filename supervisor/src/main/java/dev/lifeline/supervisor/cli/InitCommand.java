package dev.lifeline.supervisor.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.sshd.common.config.keys.PublicKeyEntry;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.lifeline.supervisor.tunnel.Identity;
import dev.lifeline.templates.spec.Provider;

/**
 * The guided set-up: the answers a new home needs, then its keys, a new stack file and the supervisor's config, and
 * the commands left to run. Every answer is checked before anything is written; a bad one writes nothing.
 */
@Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sets up a new home: keys, the stack file and the supervisor config, asking with defaults.",
            "",
            "Asks for the provider, region, size, SSH port (a random unusual one by default), tunnels, the home service, "
                + "the web front and the alert channels; Enter takes the default in brackets. With --non-interactive it asks "
                + "nothing: flags give the answers, defaults the rest.",
            "",
            "It makes the tunnel keys (CONFIG-DIR/keys) and the bastion's host key, reusing any that exist (a key is never "
                + "overwritten); writes STACK-DIR/Pulumi.STACK.yaml as `pulumi config set` would, without secrets; writes "
                + "CONFIG-DIR/lifeline.yaml (0640, root:SERVICE-USER when run as root); and prints the "
                + "`pulumi config set --secret` lines and the three commands left to run.",
            "",
            "Secrets are asked without echo, or read from LIFELINE_TWILIO_AUTH_TOKEN and DIGITALOCEAN_TOKEN."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "1:the files could not be written", "2:bad input, or a file exists (see --force); nothing written"})
final class InitCommand implements Callable<Integer> {
    private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:]+\\]):(\\d{1,5})");
    private static final int FIRST_TUNNEL_PORT = 29000;
    /** Tunnel ports 29000, 29010, …: each tunnel also holds the next port, its health port (TunnelSpec.healthPort). */
    private static final int TUNNEL_PORT_STEP = 10;
    private static final int MAX_TUNNELS = 9;
    private static final String TWILIO_TOKEN_ENV = "LIFELINE_TWILIO_AUTH_TOKEN";
    private static final String DO_TOKEN_ENV = "DIGITALOCEAN_TOKEN";

    @Spec
    CommandSpec spec;

    @Option(names = "--non-interactive", description = "ask nothing: flags give the answers, defaults the rest")
    boolean nonInteractive;

    @Option(names = "--force", description = "replace an existing stack file or config (the old one is kept as FILE.bak)")
    boolean force;

    @Option(names = "--stack", paramLabel = "NAME", description = "the Pulumi stack's name (default home)")
    String stack;

    @Option(names = "--stack-dir", paramLabel = "DIR", defaultValue = "stacks", description = "where the stack file goes (default stacks, from the repository's root)")
    Path stackDir;

    @Option(names = "--config-dir", paramLabel = "DIR", defaultValue = "/etc/lifeline", description = "the supervisor's config directory (default /etc/lifeline)")
    Path configDir;

    /** The service reads these paths from another working directory: always absolute. */
    private Path configDir() {
        return configDir.toAbsolutePath().normalize();
    }

    @Option(names = "--host-key-dir", paramLabel = "DIR", defaultValue = "lifeline-host-key",
            description = "where the bastion's host key is made, until it is a Pulumi secret (default ./lifeline-host-key)")
    Path hostKeyDir;

    @Option(names = "--service-user", paramLabel = "USER", defaultValue = "lifeline", description = "the user lifeline.service runs as (default lifeline)")
    String serviceUser;

    @Option(names = "--provider", paramLabel = "NAME", description = "aws or digitalocean (default aws)")
    String provider;

    @Option(names = "--region", paramLabel = "REGION", description = "the provider's region (default eu-central-1 or fra1)")
    String region;

    @Option(names = "--size", paramLabel = "SIZE", description = "instance type or droplet size (default t4g.nano or s-1vcpu-512mb-10gb)")
    String size;

    @Option(names = "--tunnels", paramLabel = "N", description = "how many tunnels, 1.." + MAX_TUNNELS + " (default 2; each gets its key and port " + FIRST_TUNNEL_PORT + "+" + TUNNEL_PORT_STEP + "i)")
    String tunnels;

    @Option(names = "--ssh-port", paramLabel = "PORT", description = "the bastion's SSH port (default: a random one from " + SshPortPick.LOW + ".." + SshPortPick.HIGH + ")")
    String sshPort;

    @Option(names = "--admin-user", paramLabel = "USER", description = "your login on the bastion (default admin)")
    String adminUser;

    @Option(names = "--admin-key", paramLabel = "FILE", description = "your SSH public key file, or the key line itself (default ~/.ssh/id_ed25519.pub)")
    String adminKey;

    @Option(names = "--home-service", paramLabel = "HOST:PORT", description = "the home service the tunnels carry (default 127.0.0.1:80)")
    String homeService;

    @Option(names = "--web", paramLabel = "KIND", description = "the bastion's HTTPS front: none, self-signed or letsencrypt (default none)")
    String web;

    @Option(names = "--web-domain", paramLabel = "NAME", description = "with --web letsencrypt: the domain pointed at the bastion")
    String webDomain;

    @Option(names = "--web-email", paramLabel = "ADDRESS", description = "with --web letsencrypt: where Let's Encrypt writes")
    String webEmail;

    @Option(names = "--mode", paramLabel = "MODE", description = "on-outage (the bastion runs only during an outage) or always-on (default on-outage)")
    String mode;

    @Option(names = "--alerts", paramLabel = "LIST", description = "alert channels: none, or twilio and/or webhook, comma-separated (default none)")
    String alerts;

    @Option(names = "--twilio-sid", paramLabel = "AC…", description = "with twilio: the account SID (also the bastion's login SMS)")
    String twilioSid;

    @Option(names = "--twilio-from", paramLabel = "NUMBER", description = "with twilio: the sending number (E.164) or messaging service (MG…)")
    String twilioFrom;

    @Option(names = "--twilio-to", paramLabel = "NUMBERS", description = "with twilio: the phones to alert, comma-separated (E.164)")
    String twilioTo;

    @Option(names = "--webhook-url", paramLabel = "URL", description = "with webhook: where alerts are POSTed, e.g. https://ntfy.sh/my-home-alerts")
    String webhookUrl;

    @Option(names = "--webhook-format", paramLabel = "FORMAT", description = "with webhook: json or ntfy (default ntfy for ntfy.sh, else json)")
    String webhookFormat;

    Map<String, String> env = System.getenv();
    Console console = System.console();
    SecureRandom random = new SecureRandom();

    /** A tunnel: its name (also its user on the bastion) and its loopback port there. */
    private record Tunnel(String name, int port) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Prompts prompts;
            if (nonInteractive) {
                prompts = Prompts.flagsOnly(out, env);
            } else if (console == null) {
                err.println("lifeline init: no terminal to ask on; run it in a terminal, or give --non-interactive and the"
                        + " answers as flags (lifeline init --help); nothing was written");
                return Lifeline.BAD_INPUT;
            } else {
                prompts = Prompts.on(console, out, env);
            }
            return new Run(prompts, out).go();
        } catch (Prompts.BadAnswer e) {
            err.println("lifeline init: " + e.getMessage() + (e.getMessage().endsWith("nothing was written") ? "" : "; nothing was written"));
            return Lifeline.BAD_INPUT;
        } catch (IOException e) {
            err.println("lifeline init: cannot write " + e.getMessage() + " (" + e.getClass().getSimpleName() + "); run it as root"
                    + " (sudo) for " + configDir + ", or give directories you may write to; files written before this one stay");
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** One run: the answers, then the files. */
    private final class Run {
        private final Prompts ask;
        private final PrintWriter out;
        private final List<String> report = new ArrayList<>();

        Run(Prompts ask, PrintWriter out) {
            this.ask = ask;
            this.out = out;
        }

        int go() throws IOException {
            if (ask.interactive()) {
                out.println("lifeline init: a few questions; Enter takes the answer in [brackets]. Nothing is written until the end.");
            }
            String stackName = ask.ask("--stack", "Stack name", stack, "home",
                    a -> STACK_NAME.matcher(a).matches() ? null : "a stack name is letters, digits, '-', '_' or '.', e.g. home");
            if (!Files.isDirectory(stackDir)) {
                throw new Prompts.BadAnswer("--stack-dir " + stackDir + " is not a directory; run lifeline init from the"
                        + " repository's root (where Pulumi.yaml is), or give the repository's stacks directory");
            }
            Path stackFile = stackDir.resolve("Pulumi." + stackName + ".yaml");
            Path configFile = configDir().resolve("lifeline.yaml");
            refuseExisting(stackFile, "the stack file");
            refuseExisting(configFile, "the supervisor config");
            InitFiles files = InitFiles.forUser(serviceUser, env);

            StackDraft draft = new StackDraft(stackName);
            Provider p = Provider.parse(ask.ask("--provider", "Cloud provider (" + ids() + ")", provider, Provider.AWS.id(),
                    a -> Provider.parse(a).isPresent() ? null : "the providers are " + ids())).orElseThrow();
            draft.set("provider", p.id());
            String reg = ask.ask("--region", "Region", region, p.defaultRegion(), a -> first(draft.set("region", a).problemsOf("region")));
            draft.set("region", reg);
            String sz = ask.ask("--size", "Instance size", size, p.defaultSize(), a -> first(draft.set("size", a).problemsOf("size")));
            draft.set("size", sz);

            int count = Integer.parseInt(ask.ask("--tunnels", "Tunnels (each its own key and bastion port)", tunnels, "2",
                    a -> a.matches("[1-9]") && Integer.parseInt(a) <= MAX_TUNNELS ? null : "give a number from 1 to " + MAX_TUNNELS));
            List<Tunnel> tunnelList = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                tunnelList.add(new Tunnel("tunnel" + (i + 1), FIRST_TUNNEL_PORT + TUNNEL_PORT_STEP * i));
            }
            Set<Integer> tunnelPorts = tunnelList.stream().flatMap(t -> java.util.stream.Stream.of(t.port(),
                    dev.lifeline.templates.spec.TunnelSpec.healthPortOf(t.port()))).collect(Collectors.toSet());
            int randomPort = SshPortPick.pick(random, tunnelPorts, port -> draft.set("sshPort", String.valueOf(port)).problemsOf("sshPort").isEmpty());
            String port = ask.ask("--ssh-port", "SSH port on the bastion", sshPort, String.valueOf(randomPort), a -> {
                if (!a.matches("\\d{1,5}")) {
                    return "give a number between 1024 and 65535";
                }
                if (tunnelPorts.contains(Integer.parseInt(a))) {
                    return a + " is a tunnel's port or its health port on the bastion (" + FIRST_TUNNEL_PORT + " and up); pick another";
                }
                return first(draft.set("sshPort", a).problemsOf("sshPort"));
            });
            draft.set("sshPort", port);

            String admin = ask.ask("--admin-user", "Your login on the bastion", adminUser, "admin", a -> {
                if (tunnelList.stream().anyMatch(t -> t.name().equals(a))) {
                    return a + " is a tunnel's user; pick another";
                }
                return first(draft.set("adminUser", a).problemsOf("adminUser"));
            });
            draft.set("adminUser", admin);
            String defaultKey = Path.of(System.getProperty("user.home"), ".ssh", "id_ed25519.pub").toString();
            String adminKeyAnswer = ask.ask("--admin-key", "Your SSH public key (a .pub file, or the key line)", adminKey, defaultKey, a -> {
                String line = adminKeyLine(a);
                return line.startsWith("!") ? line.substring(1) : first(draft.set("adminKeys", List.of(line)).problemsOf("adminKeys"));
            });
            draft.set("adminKeys", List.of(adminKeyLine(adminKeyAnswer)));

            String local = ask.ask("--home-service", "The home service the tunnels carry (HOST:PORT)", homeService, "127.0.0.1:80", a -> {
                var m = HOST_PORT.matcher(a);
                return m.matches() && Integer.parseInt(m.group(2)) >= 1 && Integer.parseInt(m.group(2)) <= 65535
                        ? null : "give HOST:PORT, e.g. 127.0.0.1:80 or 192.168.1.20:8123";
            });

            String webKind = ask.ask("--web", "HTTPS front on the bastion (none, self-signed, letsencrypt)", web, "none",
                    a -> Set.of("none", "self-signed", "letsencrypt").contains(a) ? null : "answer none, self-signed or letsencrypt");
            if (webKind.equals("self-signed")) {
                draft.set("web", Map.of());
            } else if (webKind.equals("letsencrypt")) {
                Map<String, Object> w = new TreeMap<>();
                draft.set("web", w);
                w.put("domain", ask.ask("--web-domain", "Domain (its DNS pointed at the bastion)", webDomain, null, a -> {
                    w.put("domain", a);
                    return first(draft.problemsOf("web.domain"));
                }));
                w.put("email", ask.ask("--web-email", "E-mail for Let's Encrypt", webEmail, null, a -> {
                    w.put("email", a);
                    return first(draft.problemsOf("web.email"));
                }));
            }

            String bastionMode = ask.ask("--mode", "When the bastion runs (on-outage, always-on)", mode, "on-outage",
                    a -> Set.of("on-outage", "always-on").contains(a) ? null : "answer on-outage or always-on");

            Set<String> channels = channels(ask.ask("--alerts", "Alert channels (none, or twilio and/or webhook)", alerts, "none", a -> {
                try {
                    channels(a);
                    return null;
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            }));
            Map<String, Object> twilioAlert = null;
            String twilioToken = null;
            Path twilioTokenFile = configDir().resolve("twilio-token");
            if (channels.contains("twilio")) {
                Map<String, Object> t = new TreeMap<>();
                draft.set("twilio", t);
                t.put("accountSid", ask.ask("--twilio-sid", "Twilio account SID (AC...)", twilioSid, null, a -> {
                    t.put("accountSid", a);
                    return first(draft.problemsOf("twilio.accountSid"));
                }));
                t.put("from", ask.ask("--twilio-from", "Twilio sender (+number or MG...)", twilioFrom, null, a -> {
                    t.put("from", a);
                    return first(draft.problemsOf("twilio.from"));
                }));
                String to = ask.ask("--twilio-to", "Phones to alert (+E.164, comma-separated)", twilioTo, null, a -> {
                    t.put("to", numbers(a));
                    return first(draft.problemsOf("twilio.to"));
                });
                t.put("to", numbers(to));
                draft.secretLater("twilioAuthToken");
                if (Files.exists(twilioTokenFile)) {
                    report.add("secret   " + twilioTokenFile + " (reused: it exists; init never replaces a secret)");
                } else {
                    twilioToken = ask.secret(TWILIO_TOKEN_ENV, "the Twilio Auth Token",
                            a -> first(draft.problemsOfSecret("twilioAuthToken", a)));
                }
                twilioAlert = new LinkedHashMap<>(t);
                twilioAlert.put("authTokenFile", twilioTokenFile.toString());
            }
            Map<String, Object> webhookAlert = null;
            if (channels.contains("webhook")) {
                String url = ask.ask("--webhook-url", "Webhook URL alerts are POSTed to", webhookUrl, null, InitCommand::urlProblem);
                boolean ntfy = URI.create(url).getHost().equalsIgnoreCase("ntfy.sh");
                String format = ask.ask("--webhook-format", "Webhook format (json, ntfy)", webhookFormat, ntfy ? "ntfy" : "json",
                        a -> Set.of("json", "ntfy").contains(a) ? null : "answer json or ntfy");
                webhookAlert = Map.of("url", url, "format", format);
            }
            Path doTokenFile = configDir().resolve("do-token");
            String doToken = null;
            if (p == Provider.DIGITALOCEAN) {
                if (Files.exists(doTokenFile)) {
                    report.add("secret   " + doTokenFile + " (reused: it exists; init never replaces a secret)");
                } else {
                    doToken = ask.secret(DO_TOKEN_ENV, "a DigitalOcean API token (write scope: the supervisor powers the droplet on and off)",
                            a -> a.matches("\\S+") ? null : "a token is one word, no spaces");
                }
            }
            draft.secretLater("hostKey");

            // every answer is in; from here on files are written. The config directory stays open to the service
            // (its user reads lifeline.yaml through the group); the keys directory is the service user's alone.
            Files.createDirectories(configDir());
            files.privateDir(configDir().resolve("keys"));
            Map<String, String> publicKeys = new LinkedHashMap<>();
            for (Tunnel t : tunnelList) {
                Path key = configDir().resolve("keys").resolve(t.name());
                publicKeys.put(t.name(), keyPair(key, t.name(), files, true));
            }
            if (!Files.isDirectory(hostKeyDir)) {
                // the host key's private half sits here until it is a Pulumi secret: the user's alone
                Files.createDirectories(hostKeyDir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
            Path hostKey = hostKeyDir.resolve(KeygenCommand.HOST_KEY_FILE);
            String hostPublic = keyPair(hostKey, "lifeline-bastion", files, false);
            files.toInvoker(hostKeyDir);
            files.toInvoker(hostKey);
            files.toInvoker(NewKeyPair.publicFile(hostKey));
            if (twilioToken != null) {
                files.secret(twilioTokenFile, twilioToken);
                report.add("secret   " + twilioTokenFile + " (made, 0600)");
            }
            if (doToken != null) {
                files.secret(doTokenFile, doToken);
                report.add("secret   " + doTokenFile + " (made, 0600)");
            }

            List<Object> stackTunnels = new ArrayList<>();
            for (Tunnel t : tunnelList) {
                Map<String, Object> entry = new TreeMap<>();
                entry.put("name", t.name());
                entry.put("port", t.port());
                entry.put("publicKey", publicKeys.get(t.name()));
                stackTunnels.add(entry);
            }
            draft.set("tunnels", stackTunnels);
            List<String> left = draft.problems();
            if (!left.isEmpty()) {
                throw new IllegalStateException("the stack init made does not pass its own check: " + left);
            }
            files.stack(stackFile, StackFileText.of("lifeline", draft.values()));
            report.add(0, "stack    " + stackFile + " (no secrets in it)");

            List<HomeConfigText.Tunnel> homeTunnels = tunnelList.stream()
                    .map(t -> new HomeConfigText.Tunnel(t.name(), t.port(), configDir().resolve("keys").resolve(t.name()))).toList();
            String config = HomeConfigText.of(new HomeConfigText.Values(stackName, p, configFile, port, hostPublic, bastionMode, reg,
                    doTokenFile, homeTunnels, local, twilioAlert, webhookAlert));
            HomeConfigText.requireValid(configFile, config);
            files.config(configFile, config);
            report.add(1, "config   " + configFile + " (0640 " + files.configOwner() + ")");

            printDone(stackName, stackFile, configFile, hostKey, draft);
            return 0;
        }

        private void refuseExisting(Path file, String what) throws IOException {
            if (!Files.exists(file) || force) {
                return;
            }
            if (file.getFileName().toString().equals("lifeline.yaml") && HomeConfigText.isShippedExample(file)) {
                return; // the package's example, untouched: nothing of the user's is in it (and it is kept as .bak)
            }
            throw new Prompts.BadAnswer(file + " exists (" + what + "); init never replaces it unasked: give --force"
                    + " to replace it (the old one is kept as " + file.getFileName() + ".bak), or choose another "
                    + (what.startsWith("the stack") ? "--stack" : "--config-dir"));
        }

        /** An existing key pair is reused (its public line read back); a missing one is made. */
        private String keyPair(Path key, String comment, InitFiles files, boolean forService) throws IOException {
            Path pub = NewKeyPair.publicFile(key);
            if (Files.exists(key)) {
                String line;
                if (Files.exists(pub)) {
                    line = Files.readString(pub, StandardCharsets.US_ASCII).strip();
                } else {
                    try {
                        line = PublicKeyEntry.toString(Identity.load(key).getPublic()) + " " + comment;
                    } catch (IllegalArgumentException e) {
                        throw new Prompts.BadAnswer(e.getMessage() + "; lifeline never overwrites a key: move it away and run init again");
                    }
                }
                report.add("key      " + key + " (reused: it exists; lifeline never overwrites a key)");
                return line;
            }
            if (Files.exists(pub)) {
                throw new Prompts.BadAnswer(pub + " exists without its private key " + key + "; lifeline never overwrites a key:"
                        + " move it away and run init again");
            }
            String line = NewKeyPair.write(key, comment);
            if (forService) {
                files.toServiceUser(key);
                files.toServiceUser(pub);
            }
            report.add("key      " + key + " (made, 0600)");
            return line;
        }

        private void printDone(String stackName, Path stackFile, Path configFile, Path hostKey, StackDraft draft) {
            out.println();
            out.println("lifeline init: written");
            report.forEach(r -> out.println("  " + r));
            out.println();
            // `pulumi stack init` keeps a stack file written before the stack exists, adding its secrets provider's
            // settings (pulumi/pulumi pull request #17465, which fixed issue #17457 where a fresh provider clobbered it)
            out.println("The stack's secrets, stored encrypted by Pulumi: from the repository's root,");
            out.println("  pulumi stack init " + Shell.quote(stackName) + "          # or: pulumi stack select " + Shell.quote(stackName));
            out.println("  pulumi config set --secret lifeline:hostKey < " + Shell.quote(hostKey.toString()));
            if (draft.pendingSecrets().contains("twilioAuthToken")) {
                out.println("  pulumi config set --secret lifeline:twilioAuthToken          # paste the Twilio Auth Token when asked");
            }
            out.println("then delete " + Shell.quote(hostKey.getParent() == null ? hostKey.toString() : hostKey.getParent().toString())
                    + " (the key lives on as the secret). To read what the bastion will run first:");
            out.println("  ./lifeline render --stack " + Shell.quote(stackFile.toString()) + " --out render-out");
            out.println();
            out.println("Left to run:");
            out.println("  pulumi up");
            // --show-secrets: the Pi's AWS key and the speed test's secret URL are secret outputs; import writes them to 0600 files, never prints them
            out.println("  pulumi stack output --json --show-secrets | sudo lifeline import --config " + Shell.quote(configFile.toString()));
            out.println("  sudo systemctl enable --now lifeline");
        }
    }

    private static String ids() {
        return Arrays.stream(Provider.values()).map(Provider::id).collect(Collectors.joining(", "));
    }

    private static String first(List<String> problems) {
        return problems.isEmpty() ? null : problems.get(0);
    }

    /** The key line from a .pub file or as given; a problem starts with '!'. */
    private static String adminKeyLine(String answer) {
        String a = answer.strip();
        if (a.startsWith("ssh-") || a.startsWith("ecdsa-") || a.startsWith("sk-")) {
            return a;
        }
        Path file = Path.of(a.startsWith("~/") ? System.getProperty("user.home") + a.substring(1) : a);
        if (!Files.isRegularFile(file)) {
            return "!" + file + " does not exist; give your SSH public key (.pub) file or its line (ssh-keygen -t ed25519 makes ~/.ssh/id_ed25519.pub)";
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
            if (lines.size() != 1) {
                return "!" + file + " holds " + lines.size() + " lines; give a .pub file with one public key";
            }
            return lines.get(0);
        } catch (IOException e) {
            return "!" + file + " cannot be read (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static Set<String> channels(String answer) {
        Set<String> out = new LinkedHashSet<>();
        if (answer.strip().equals("none")) {
            return out;
        }
        for (String c : answer.split(",")) {
            String name = c.strip().toLowerCase(Locale.ROOT);
            if (!name.equals("twilio") && !name.equals("webhook")) {
                throw new IllegalArgumentException("'" + name + "' is not a channel init sets up; answer none, or twilio and/or webhook"
                        + " (email and telegram: add them to the config by hand, see supervisor/lifeline.example.yaml)");
            }
            out.add(name);
        }
        return out;
    }

    private static List<String> numbers(String answer) {
        return Arrays.stream(answer.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String urlProblem(String url) {
        try {
            URI u = new URI(url);
            if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
                return "give an http(s) URL with a host, e.g. https://ntfy.sh/my-home-alerts";
            }
            if (u.getUserInfo() != null) {
                return "a URL must not carry user:password (it would reach logs)";
            }
            return null;
        } catch (URISyntaxException e) {
            return "not a URL (" + e.getReason() + "); e.g. https://ntfy.sh/my-home-alerts";
        }
    }
}
