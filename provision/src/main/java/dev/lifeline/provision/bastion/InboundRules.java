package dev.lifeline.provision.bastion;

import java.util.ArrayList;
import java.util.List;

import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.spec.Cidr;

/**
 * The one place that decides what may reach the bastion, for every provider alike: the SSH port from
 * {@code sshAllowFrom}, and 80/443 from everywhere only while the HTTPS front is on. Nothing else; the tunnel
 * ports listen on loopback and are reached through SSH, never from outside.
 */
public final class InboundRules {
    static final int HTTP = 80;
    static final int HTTPS = 443;
    static final List<Cidr> EVERYWHERE = List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));

    private InboundRules() {
    }

    public static List<InboundRule> of(BastionSpec spec) {
        List<InboundRule> rules = new ArrayList<>();
        rules.add(new InboundRule("ssh (admin and tunnels)", spec.sshPort(), spec.sshAllowFrom()));
        if (spec.webEnabled()) {
            // Port 80 stays open for Let's Encrypt's HTTP-01 challenge and the redirect to HTTPS.
            rules.add(new InboundRule("http (ACME, redirect)", HTTP, EVERYWHERE));
            rules.add(new InboundRule("https front", HTTPS, EVERYWHERE));
        }
        return List.copyOf(rules);
    }
}
