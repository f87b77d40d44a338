package dev.lifeline.supervisor.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.xbill.DNS.Address;

/** IP literals that are known to be literals, parsed without ever asking DNS. */
final class InetAddressLiteral {
    private InetAddressLiteral() {
    }

    static InetAddress of(String literal) {
        try {
            return Address.getByAddress(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + literal + "' is not an IP address", e);
        }
    }

    /** The host of a configured target {@code uri}, which must be an IP literal: a name would need DNS before the check. */
    static InetAddress in(String uri, String host, String what, String example) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return Address.getByAddress(h);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("probe '" + uri + "': " + what + " must be an IP address, not '" + host
                    + "' (a name would need DNS before the check even starts); " + example);
        }
    }
}
