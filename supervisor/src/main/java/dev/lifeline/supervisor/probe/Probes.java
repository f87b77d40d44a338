package dev.lifeline.supervisor.probe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;

import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Probes from their configured form. Prefer {@code dns://} to the ISP's own resolver: it answers only through that
 * ISP, it is cheap, and it tests what every user needs first. There is no ICMP probe on purpose: carriers throttle
 * and deprioritise ping, so a lost ping says little about the line.
 */
public final class Probes {
    private Probes() {
    }

    /**
     * Parses one probe.
     * <ul>
     *   <li>{@code dns://RESOLVER[:PORT]/NAME} — an A query for NAME at RESOLVER (an IP address: a resolver named by a
     *       name would itself need DNS); ok on NOERROR or NXDOMAIN</li>
     *   <li>{@code tcp://HOST:PORT} — a TCP handshake; HOST an IP address, so that no DNS sits in front of the check</li>
     *   <li>{@code http://…}, {@code https://…} — a GET; ok on 2xx/3xx, or on one more status named as
     *       {@code #status=401} (the fragment is never sent)</li>
     * </ul>
     *
     * @param bind    null for any source address, an IP address, or an interface name (its first IPv4 address, looked
     *                up at each run)
     * @param timeout the most one run may take
     * @throws IllegalArgumentException naming the problem and showing a correct example
     */
    public static Probe parse(String uri, String bind, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("probe timeout must be positive (got " + timeout + "); write e.g. timeout: 2s");
        }
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("probe is empty; write e.g. dns://192.168.1.1/example.com");
        }
        SourceAddress source = SourceAddress.parse(bind);
        String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':')).toLowerCase() : "";
        return switch (scheme) {
            case "dns" -> dns(uri, source, timeout);
            case "tcp" -> tcp(uri, source, timeout);
            case "http", "https" -> http(uri, source, timeout);
            default -> throw new IllegalArgumentException("probe '" + uri + "' has no known scheme; write one of"
                    + " dns://192.168.1.1/example.com, tcp://1.1.1.1:443, https://example.com/");
        };
    }

    private static Probe dns(String uri, SourceAddress source, Duration timeout) {
        String example = "write dns://192.168.1.1/example.com (or dns://192.168.1.1:5353/example.com)";
        URI u = syntax(uri, example);
        if (u.getHost() == null) {
            throw new IllegalArgumentException("probe '" + uri + "' is not dns://RESOLVER/NAME: the resolver is missing; " + example);
        }
        InetAddress resolver = ipLiteral(uri, u.getHost(), "the resolver", example);
        String path = u.getPath() == null ? "" : u.getPath();
        String name = path.startsWith("/") ? path.substring(1) : path;
        if (name.isEmpty() || name.contains("/") || u.getQuery() != null || u.getFragment() != null) {
            throw new IllegalArgumentException("probe '" + uri + "' needs exactly one name to look up after the resolver; " + example);
        }
        Name query;
        try {
            query = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("probe '" + uri + "': '" + name + "' is not a DNS name (" + e.getMessage() + "); " + example);
        }
        int port = u.getPort() == -1 ? 53 : u.getPort();
        return new DnsProbe(uri, new InetSocketAddress(resolver, port), query, source, timeout);
    }

    private static Probe tcp(String uri, SourceAddress source, Duration timeout) {
        String example = "write tcp://1.1.1.1:443";
        URI u = syntax(uri, example);
        if (u.getHost() == null || u.getPort() == -1) {
            throw new IllegalArgumentException("probe '" + uri + "' is not tcp://HOST:PORT (host and port are both needed); " + example);
        }
        if (!(u.getPath() == null || u.getPath().isEmpty()) || u.getQuery() != null || u.getFragment() != null) {
            throw new IllegalArgumentException("probe '" + uri + "' has something after the port; " + example);
        }
        InetAddress host = ipLiteral(uri, u.getHost(), "the host", example);
        return new TcpProbe(uri, new InetSocketAddress(host, u.getPort()), source, timeout);
    }

    private static Probe http(String uri, SourceAddress source, Duration timeout) {
        String example = "write https://example.com/ or http://192.168.1.1/#status=401";
        URI u = syntax(uri, example);
        if (u.getHost() == null) {
            throw new IllegalArgumentException("probe '" + uri + "' has no host; " + example);
        }
        Integer expected = null;
        String fragment = u.getFragment();
        if (fragment != null) {
            if (!fragment.matches("status=[1-5][0-9][0-9]")) {
                throw new IllegalArgumentException("probe '" + uri + "': the only setting after # is status=NNN; " + example);
            }
            expected = Integer.parseInt(fragment.substring("status=".length()));
        }
        String url = uri.contains("#") ? uri.substring(0, uri.indexOf('#')) : uri;
        return new HttpProbe(uri, url, expected, source, timeout);
    }

    private static URI syntax(String uri, String example) {
        try {
            return new URI(uri.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("probe '" + uri + "' is not a URI (" + e.getReason() + "); " + example);
        }
    }

    static InetAddress ipLiteral(String uri, String host, String what, String example) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return Address.getByAddress(h);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("probe '" + uri + "': " + what + " must be an IP address, not '" + host
                    + "' (a name would need DNS before the check even starts); " + example);
        }
    }
}
