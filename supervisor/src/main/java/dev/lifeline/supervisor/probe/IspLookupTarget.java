package dev.lifeline.supervisor.probe;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An ISP lookup as the config writes it, parsed once when the config loads; {@link IspLookups#of} builds the lookup. */
public sealed interface IspLookupTarget {
    String EXAMPLES = "write https://speed.cloudflare.com/meta, dns-asn or dns-asn://208.67.222.222";

    /** A GET of {@code url}, whose JSON answer holds the ISP in {@code fields}. */
    record Http(String url, HttpIspLookup.Fields fields) implements IspLookupTarget {
    }

    /** The own IP and its AS by DNS alone. */
    record DnsAsn(DnsAsnLookup.Settings settings) implements IspLookupTarget {
    }

    /**
     * Parses one ISP lookup.
     * <ul>
     *   <li>{@code https://speed.cloudflare.com/meta} (any http/https URL) — GET, JSON with Cloudflare's field names
     *       {@code asOrganization}, {@code asn}, {@code clientIp}; other names after #, never sent:
     *       {@code https://ipinfo.io/json#name=org&asn=asn&ip=ip} (an {@code asn} text like "AS3320 Deutsche
     *       Telekom AG" is read up to the first space)</li>
     *   <li>{@code dns-asn} — own IP from {@code myip.opendns.com} at OpenDNS (208.67.222.222), then Team Cymru's
     *       {@code origin.asn.cymru.com} and {@code asn.cymru.com} TXT records through the same resolver</li>
     *   <li>{@code dns-asn://RESOLVER[:PORT]} — the same questions, all asked of RESOLVER (an IP address that must
     *       answer {@code myip.opendns.com} with the asker's address); optional
     *       {@code ?myip=NAME&origin=ZONE&asn=ZONE} replace the names asked</li>
     * </ul>
     *
     * @throws IllegalArgumentException naming the problem and showing correct forms
     */
    static IspLookupTarget parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("ISP lookup is empty; " + EXAMPLES);
        }
        String s = spec.trim();
        if (s.equals("dns-asn")) {
            return new DnsAsn(DnsAsnLookup.Settings.DEFAULTS);
        }
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("ISP lookup '" + spec + "' is not a URI (" + e.getReason() + "); " + EXAMPLES);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase();
        return switch (scheme) {
            case "http", "https" -> http(spec, s, u);
            case "dns-asn" -> dnsAsn(spec, u);
            default -> throw new IllegalArgumentException("ISP lookup '" + spec + "' has no known form; " + EXAMPLES);
        };
    }

    private static Http http(String spec, String s, URI u) {
        if (u.getHost() == null) {
            throw new IllegalArgumentException("ISP lookup '" + spec + "' has no host; " + EXAMPLES);
        }
        HttpIspLookup.Fields fields = HttpIspLookup.Fields.CLOUDFLARE;
        if (u.getFragment() != null) {
            Map<String, String> f = pairs(spec, u.getFragment(), "name", "asn", "ip");
            fields = new HttpIspLookup.Fields(f.getOrDefault("name", fields.name()), f.getOrDefault("asn", fields.asn()),
                    f.getOrDefault("ip", fields.ip()));
        }
        return new Http(s.contains("#") ? s.substring(0, s.indexOf('#')) : s, fields);
    }

    private static DnsAsn dnsAsn(String spec, URI u) {
        if (u.getHost() == null || !(u.getPath() == null || u.getPath().isEmpty())) {
            throw new IllegalArgumentException("ISP lookup '" + spec + "' is not dns-asn://RESOLVER[:PORT]; " + EXAMPLES);
        }
        var resolver = new InetSocketAddress(InetAddressLiteral.in(spec, u.getHost(), "the resolver", EXAMPLES),
                u.getPort() == -1 ? 53 : u.getPort());
        DnsAsnLookup.Settings d = DnsAsnLookup.Settings.DEFAULTS.at(resolver);
        if (u.getQuery() != null) {
            Map<String, String> q = pairs(spec, u.getQuery(), "myip", "origin", "asn");
            d = new DnsAsnLookup.Settings(resolver, q.getOrDefault("myip", d.myIpName()), resolver,
                    q.getOrDefault("origin", d.originZone()), q.getOrDefault("asn", d.asnZone()));
        }
        return new DnsAsn(d);
    }

    private static Map<String, String> pairs(String spec, String text, String... allowed) {
        Map<String, String> out = new HashMap<>();
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (eq < 1 || eq == pair.length() - 1 || !List.of(allowed).contains(key)) {
                throw new IllegalArgumentException("ISP lookup '" + spec + "': '" + pair + "' is not one of "
                        + String.join("=…, ", allowed) + "=…");
            }
            out.put(key, pair.substring(eq + 1));
        }
        return out;
    }
}
