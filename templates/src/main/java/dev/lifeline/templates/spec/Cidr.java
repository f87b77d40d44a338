package dev.lifeline.templates.spec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 network in CIDR form; a bare address means a single host. */
public record Cidr(String address, int prefix) {
    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    public Cidr {
        boolean v6 = address.contains(":");
        int max = v6 ? 128 : 32;
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix /" + prefix + " is outside 0.." + max);
        }
    }

    /** Parses {@code 203.0.113.0/24}, {@code 2001:db8::/32} or a bare address; never does a DNS lookup. */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        boolean v6 = addr.contains(":");
        if (!(v6 ? V6 : V4).matcher(addr).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR (e.g. 203.0.113.7/32)");
        }
        try {
            // Literal only (patterns above), so this never resolves a name.
            InetAddress.getByName(addr);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR (e.g. 203.0.113.7/32)");
        }
        int prefix;
        if (slash < 0) {
            prefix = v6 ? 128 : 32;
        } else {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has no numeric prefix length after '/'");
            }
        }
        return new Cidr(addr, prefix);
    }

    public boolean isIpv6() {
        return address.contains(":");
    }

    @Override
    public String toString() {
        return address + "/" + prefix;
    }
}
