package dev.lifeline.supervisor.probe;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.stream.Collectors;

import org.xbill.DNS.Address;

/**
 * Where a probe's packets leave from: any address, an IP literal, or a network interface. An interface is looked up
 * again on every use because a backup line (an LTE modem, a Starlink dish) gets its address by DHCP and may change it.
 */
final class SourceAddress {
    static final SourceAddress ANY = new SourceAddress(null, null);

    private final InetAddress literal;
    private final String interfaceName;

    private SourceAddress(InetAddress literal, String interfaceName) {
        this.literal = literal;
        this.interfaceName = interfaceName;
    }

    /** {@code bind} as configured: null or blank for any, an IP literal, or an interface name that exists now. */
    static SourceAddress parse(String bind) {
        if (bind == null || bind.isBlank()) {
            return ANY;
        }
        String b = bind.trim();
        try {
            return new SourceAddress(Address.getByAddress(b), null);
        } catch (UnknownHostException notALiteral) {
            // then it should name an interface
        }
        try {
            if (NetworkInterface.getByName(b) == null) {
                throw new IllegalArgumentException("bind '" + b + "' is neither an IP address nor a network interface of this"
                        + " machine (interfaces: " + interfaceNames() + "); write e.g. bind: 192.168.1.50 or bind: eth1");
            }
        } catch (SocketException e) {
            throw new IllegalArgumentException("bind '" + b + "': cannot list network interfaces: " + e.getMessage(), e);
        }
        return new SourceAddress(null, b);
    }

    /** The address to bind to now, or null for any. */
    InetAddress resolve() {
        if (interfaceName == null) {
            return literal;
        }
        try {
            NetworkInterface nic = NetworkInterface.getByName(interfaceName);
            if (nic == null) {
                throw new ProbeException("interface " + interfaceName + " is gone (unplugged modem?)");
            }
            return Collections.list(nic.getInetAddresses()).stream().filter(a -> a instanceof Inet4Address).findFirst()
                    .orElseThrow(() -> new ProbeException("interface " + interfaceName + " has no IPv4 address now"
                            + " (link down or no DHCP lease yet)"));
        } catch (SocketException e) {
            throw new ProbeException("interface " + interfaceName + ": " + e.getMessage(), e);
        }
    }

    private static String interfaceNames() throws SocketException {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream().map(NetworkInterface::getName).sorted()
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return interfaceName != null ? interfaceName : literal == null ? "any" : literal.getHostAddress();
    }
}
