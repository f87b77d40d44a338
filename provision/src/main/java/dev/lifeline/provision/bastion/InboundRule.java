package dev.lifeline.provision.bastion;

import java.util.List;

import dev.lifeline.templates.spec.Cidr;

/** One TCP port the bastion admits, and from where: the provider-neutral form of a firewall rule. */
public record InboundRule(String description, int port, List<Cidr> from) {

    public InboundRule {
        from = List.copyOf(from);
        if (from.isEmpty()) {
            throw new IllegalArgumentException("rule for port " + port + " admits nobody");
        }
    }

    public List<String> ipv4() {
        return from.stream().filter(c -> !c.isIpv6()).map(Cidr::toString).toList();
    }

    public List<String> ipv6() {
        return from.stream().filter(Cidr::isIpv6).map(Cidr::toString).toList();
    }

    public List<String> all() {
        return from.stream().map(Cidr::toString).toList();
    }
}
