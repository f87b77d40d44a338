package dev.lifeline.supervisor.probe;

import java.time.Duration;

/** Probes built from their parsed targets, each bound to its line's source address and timeout. */
public final class Probes {
    private Probes() {
    }

    /**
     * @param bind    null for any source address, an IP address, or an interface name (its first IPv4 address, looked
     *                up at each run); an interface must exist now
     * @param timeout the most one run may take
     * @throws IllegalArgumentException naming the problem and the fix
     */
    public static Probe of(ProbeTarget target, String bind, Duration timeout) {
        requirePositive(timeout, "probe", "2s");
        SourceAddress source = SourceAddress.parse(bind);
        if (target instanceof ProbeTarget.Dns d) {
            return new DnsProbe(d.text(), d.resolver(), d.name(), source, timeout);
        }
        if (target instanceof ProbeTarget.Tcp t) {
            return new TcpProbe(t.text(), t.address(), source, timeout);
        }
        ProbeTarget.Http h = (ProbeTarget.Http) target;
        return new HttpProbe(h.text(), h.url(), h.expectedStatus(), source, timeout);
    }

    /** A probe from its configured text (tests and the bench: the config parses its targets when it loads). */
    public static Probe parse(String uri, String bind, Duration timeout) {
        requirePositive(timeout, "probe", "2s");
        return of(ProbeTarget.parse(uri), bind, timeout);
    }

    /** A bind the probes could use now: an IP address, or an interface of this machine; null is any. */
    public static void checkBind(String bind) {
        SourceAddress.parse(bind);
    }

    static void requirePositive(Duration timeout, String what, String example) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(what + " timeout must be positive (got " + timeout + "); write e.g. timeout: " + example);
        }
    }
}
