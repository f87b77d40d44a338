package dev.lifeline.templates.spec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR form; a bare address means a single host. The address is always the
 * network's own (no host bits) and written canonically (RFC 5952 for IPv6), the only form every cloud
 * firewall takes and gives back: EC2 refuses {@code 198.51.100.7/24} ("is not a valid CIDR block"), and an
 * address written otherwise than the cloud writes it would show as a change on every {@code pulumi up}.
 */
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

    /**
     * Parses {@code 203.0.113.0/24}, {@code 2001:db8::/32} or a bare address; never does a DNS lookup.
     * An address with bits set past the prefix is refused, naming both things it could have meant: guessing
     * the network would silently open the SSH port to 255 strangers when one host was meant.
     */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        boolean v6 = addr.contains(":");
        if (!(v6 ? V6 : V4).matcher(addr).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR (e.g. 203.0.113.7/32)");
        }
        byte[] bytes;
        try {
            // Literal only (patterns above), so this never resolves a name.
            bytes = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR (e.g. 203.0.113.7/32)");
        }
        if (v6 && bytes.length != 16) {
            // An IPv4-mapped literal (::ffff:198.51.100.7) comes back as IPv4: name the family meant.
            throw new IllegalArgumentException("'" + text + "' is an IPv4 address written as IPv6; write it as IPv4, e.g. 203.0.113.7/32");
        }
        int max = bytes.length * 8;
        int prefix;
        if (slash < 0) {
            prefix = max;
        } else {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has no numeric prefix length after '/'");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + text + "' has prefix /" + prefix + "; an IPv" + (v6 ? 6 : 4)
                        + " prefix is 0 to " + max);
            }
        }
        byte[] network = masked(bytes, prefix);
        if (!java.util.Arrays.equals(network, bytes)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set past /" + prefix
                    + ", which the cloud firewalls refuse: did you mean " + format(network) + "/" + prefix
                    + " (the whole network) or " + format(bytes) + "/" + max + " (that one address)?");
        }
        return new Cidr(format(bytes), prefix);
    }

    public boolean isIpv6() {
        return address.contains(":");
    }

    @Override
    public String toString() {
        return address + "/" + prefix;
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    /** Dotted quad, or RFC 5952: lower-case hex, no leading zeros, the longest run (≥ 2) of zero groups as "::". */
    static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString();
    }
}
