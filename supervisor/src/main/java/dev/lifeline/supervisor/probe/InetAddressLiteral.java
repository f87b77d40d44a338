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
}
