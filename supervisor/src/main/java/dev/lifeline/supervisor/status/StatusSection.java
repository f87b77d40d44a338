package dev.lifeline.supervisor.status;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.settings.SecretFile;

/**
 * {@code status:}: the local status page, JSON and Prometheus metrics.
 *
 * @param listen       where the server listens; loopback by default, so only the Pi itself (or an SSH
 *                     {@code -L} forward) can read it
 * @param tokenFile    a file holding the bearer token every request must carry; required when {@code listen} is not
 *                     loopback, because the page tells anyone who can reach it when the home is cut off
 * @param sampleEvery  how often the history takes a point
 * @param pricePerHour what the bastion costs per running hour (USD), for the cost estimate: t4g.nano on-demand by default
 * @param monthlyFixed what the bastion costs per month whether it runs or not (a stopped EBS volume, a public IPv4, a
 *                     reserved IP), added to the month's estimate
 * @param site         the {@code site} label on every metric, so one Prometheus tells many homes apart; this machine's
 *                     host name by default
 */
public record StatusSection(InetSocketAddress listen, Path tokenFile, Duration sampleEvery, double pricePerHour, double monthlyFixed,
                            String site) {
    // Before DEFAULTS: static fields initialise in order, and DEFAULTS parses a listen address.
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[0-9.]+|localhost):(\\d{1,5})");
    public static final String DEFAULT_LISTEN = "127.0.0.1:9309";
    /** AWS t4g.nano on-demand, us-east-1, 2025: the smallest instance the bastion runs on. */
    public static final double T4G_NANO_PER_HOUR = 0.0084;
    /** Where Linux keeps the name gethostname(2) returns; read as a file so loading the config never asks DNS. */
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    /** The site when even the host name cannot be read. */
    static final String FALLBACK_SITE = "lifeline";
    /** Long enough for any place name; short enough to fit an SMS and a dashboard's legend. */
    static final int MAX_SITE_LENGTH = 63;
    /** A bearer token shorter than this is guessable (`openssl rand -hex 32` gives 64). */
    public static final int MIN_TOKEN_LENGTH = 16;
    public static final StatusSection DEFAULTS = read(null, null, null, null, null, null);

    @JsonCreator
    static StatusSection read(@JsonProperty("listen") String listen, @JsonProperty("tokenFile") String tokenFile,
                              @JsonProperty("sampleEvery") Duration sampleEvery, @JsonProperty("pricePerHour") Double pricePerHour,
                              @JsonProperty("monthlyFixed") Double monthlyFixed, @JsonProperty("site") String site) {
        return new StatusSection(listenAddress(listen == null ? DEFAULT_LISTEN : listen),
                tokenFile == null || tokenFile.isBlank() ? null : SecretFile.checkedToken("tokenFile", tokenFile, MIN_TOKEN_LENGTH),
                sampleEvery == null ? Duration.ofSeconds(10) : sampleEvery,
                pricePerHour == null ? T4G_NANO_PER_HOUR : pricePerHour,
                monthlyFixed == null ? 0 : monthlyFixed,
                site == null ? hostSite() : site);
    }

    /** Without a site: this machine's host name. */
    public StatusSection(InetSocketAddress listen, Path tokenFile, Duration sampleEvery, double pricePerHour, double monthlyFixed) {
        this(listen, tokenFile, sampleEvery, pricePerHour, monthlyFixed, hostSite());
    }

    public StatusSection {
        if (listen == null) {
            throw new ConfigValueException("listen", "listen must be an IP address and port, e.g. " + DEFAULT_LISTEN);
        }
        if (!listen.getAddress().isLoopbackAddress() && tokenFile == null) {
            throw new ConfigValueException("tokenFile", "listen " + describe(listen) + " is not a loopback address, so a tokenFile is required:"
                    + " a file (chmod 600) holding the bearer token that every request must send, e.g."
                    + " `openssl rand -hex 32 > /etc/lifeline/status-token`; or listen on " + DEFAULT_LISTEN);
        }
        if (sampleEvery == null || sampleEvery.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigValueException("sampleEvery", "sampleEvery must be at least 1s, e.g. 10s (got " + sampleEvery + ")");
        }
        if (!(pricePerHour >= 0) || Double.isInfinite(pricePerHour)) {
            throw new ConfigValueException("pricePerHour", "pricePerHour must be a price in USD ≥ 0, e.g. 0.0084 (got " + pricePerHour + ")");
        }
        if (!(monthlyFixed >= 0) || Double.isInfinite(monthlyFixed)) {
            throw new ConfigValueException("monthlyFixed", "monthlyFixed must be a price in USD ≥ 0, e.g. 3.60 for a public IPv4 (got " + monthlyFixed + ")");
        }
        String why = siteProblem(site);
        if (why != null) {
            throw new ConfigValueException("site", "site " + why + "; write a short name for this home, e.g. site: home or site: office-berlin"
                    + " (it becomes the site label on every metric)");
        }
    }

    /**
     * Prometheus allows any Unicode in a label value, but an empty value is the same as no label at all
     * (https://prometheus.io/docs/concepts/data_model/#metric-names-and-labels). On top of that a site name is one
     * readable line: no control characters (a newline would end an alert's text) and no space at either end (two
     * sites that look the same must not be two series).
     */
    static String siteProblem(String site) {
        if (site == null || site.isEmpty()) {
            return "must not be empty: Prometheus treats an empty label value as no label";
        }
        if (!site.equals(site.strip())) {
            return "\"" + site + "\" has spaces at its start or end";
        }
        if (site.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE)) {
            return "contains a control character or a broken Unicode character";
        }
        if (site.codePointCount(0, site.length()) > MAX_SITE_LENGTH) {
            return "is longer than " + MAX_SITE_LENGTH + " characters";
        }
        return null;
    }

    /** This machine's host name (the kernel's), or {@value #FALLBACK_SITE} when it cannot be read or is no valid site. */
    static String hostSite() {
        try {
            String name = Files.readString(KERNEL_HOSTNAME).strip();
            return siteProblem(name) == null ? name : FALLBACK_SITE;
        } catch (java.io.IOException | RuntimeException e) {
            return FALLBACK_SITE;
        }
    }

    /** {@code 127.0.0.1:9309}, {@code [::1]:9309}, {@code 0.0.0.0:9309}: literals only, so reading the config never asks DNS. */
    static InetSocketAddress listenAddress(String text) {
        Matcher m = HOST_PORT.matcher(text.strip());
        if (!m.matches()) {
            throw new ConfigValueException("listen", "listen must be IP:PORT, e.g. " + DEFAULT_LISTEN + " or [::1]:9309 (got " + text + ")");
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            throw new ConfigValueException("listen", "listen port must be 1–65535 (got " + port + ")");
        }
        String host = m.group(1);
        try {
            InetAddress address = "localhost".equals(host) ? InetAddress.getLoopbackAddress()
                    : InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
            return new InetSocketAddress(address, port);
        } catch (UnknownHostException e) {
            throw new ConfigValueException("listen", "listen " + text + " is not an IP address; use e.g. " + DEFAULT_LISTEN);
        }
    }

    public static String describe(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
