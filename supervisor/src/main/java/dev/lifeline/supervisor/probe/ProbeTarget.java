package dev.lifeline.supervisor.probe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A probe as the config writes it, parsed once when the config loads: what to ask, not yet how (the source address
 * and timeout are the line's, given when {@link Probes#of} builds the probe). Prefer {@code dns://} to the ISP's own
 * resolver: it answers only through that ISP, it is cheap, and it tests what every user needs first. There is no ICMP
 * probe on purpose: carriers throttle and deprioritise ping, so a lost ping says little about the line.
 */
public sealed interface ProbeTarget {
    /** As written, for logs and the status page. */
    String text();

    /** {@code dns://RESOLVER[:PORT]/NAME}: an A query for NAME at RESOLVER; ok on NOERROR or NXDOMAIN. */
    record Dns(String text, InetSocketAddress resolver, Name name) implements ProbeTarget {
    }

    /** {@code tcp://HOST:PORT}: a TCP handshake. */
    record Tcp(String text, InetSocketAddress address) implements ProbeTarget {
    }

    /** {@code http(s)://…}: a GET, ok on 2xx/3xx or on {@code expectedStatus} (null: none). */
    record Http(String text, String url, Integer expectedStatus) implements ProbeTarget {
    }

    /**
     * Parses one probe target; hosts and resolvers are IP addresses (a resolver named by a name would itself need DNS,
     * and no DNS should sit in front of a TCP check). An http(s) probe may name one more good status as
     * {@code #status=401} (the fragment is never sent).
     *
     * @throws IllegalArgumentException naming the problem and showing a correct example
     */
    static ProbeTarget parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("probe is empty; write e.g. dns://192.168.1.1/example.com");
        }
        String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':')).toLowerCase() : "";
        return switch (scheme) {
            case "dns" -> dns(uri);
            case "tcp" -> tcp(uri);
            case "http", "https" -> http(uri);
            default -> throw new IllegalArgumentException("probe '" + uri + "' has no known scheme; write one of"
                    + " dns://192.168.1.1/example.com, tcp://1.1.1.1:443, https://example.com/");
        };
    }

    private static Dns dns(String uri) {
        String example = "write dns://192.168.1.1/example.com (or dns://192.168.1.1:5353/example.com)";
        URI u = syntax(uri, example);
        if (u.getHost() == null) {
            throw new IllegalArgumentException("probe '" + uri + "' is not dns://RESOLVER/NAME: the resolver is missing; " + example);
        }
        InetAddress resolver = InetAddressLiteral.in(uri, u.getHost(), "the resolver", example);
        String path = u.getPath() == null ? "" : u.getPath();
        String name = path.startsWith("/") ? path.substring(1) : path;
        if (name.isEmpty() || name.contains("/") || u.getQuery() != null || u.getFragment() != null) {
            throw new IllegalArgumentException("probe '" + uri + "' needs exactly one name to look up after the resolver; " + example);
        }
        try {
            return new Dns(uri, new InetSocketAddress(resolver, u.getPort() == -1 ? 53 : u.getPort()),
                    Name.fromString(name.endsWith(".") ? name : name + "."));
        } catch (TextParseException e) {
            throw new IllegalArgumentException("probe '" + uri + "': '" + name + "' is not a DNS name (" + e.getMessage() + "); " + example);
        }
    }

    private static Tcp tcp(String uri) {
        String example = "write tcp://1.1.1.1:443";
        URI u = syntax(uri, example);
        if (u.getHost() == null || u.getPort() == -1) {
            throw new IllegalArgumentException("probe '" + uri + "' is not tcp://HOST:PORT (host and port are both needed); " + example);
        }
        if (!(u.getPath() == null || u.getPath().isEmpty()) || u.getQuery() != null || u.getFragment() != null) {
            throw new IllegalArgumentException("probe '" + uri + "' has something after the port; " + example);
        }
        return new Tcp(uri, new InetSocketAddress(InetAddressLiteral.in(uri, u.getHost(), "the host", example), u.getPort()));
    }

    private static Http http(String uri) {
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
        return new Http(uri, uri.contains("#") ? uri.substring(0, uri.indexOf('#')) : uri, expected);
    }

    private static URI syntax(String uri, String example) {
        try {
            return new URI(uri.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("probe '" + uri + "' is not a URI (" + e.getReason() + "); " + example);
        }
    }
}
