package dev.lifeline.supervisor.probe;

import java.time.Duration;

/** ISP lookups built from their parsed targets, bound to a line's source address and timeout. */
public final class IspLookups {
    private IspLookups() {
    }

    /**
     * @param bind null for any source address, an IP address, or an interface name
     * @throws IllegalArgumentException naming the problem and the fix
     */
    public static IspLookup of(IspLookupTarget target, String bind, Duration timeout) {
        Probes.requirePositive(timeout, "ISP lookup", "5s");
        SourceAddress source = SourceAddress.parse(bind);
        if (target instanceof IspLookupTarget.DnsAsn d) {
            return new DnsAsnLookup(d.settings(), source, timeout);
        }
        IspLookupTarget.Http h = (IspLookupTarget.Http) target;
        return new HttpIspLookup(h.url(), h.fields(), source, timeout);
    }

    /** A lookup from its configured text (tests: the config parses its lookups when it loads). */
    public static IspLookup parse(String spec, String bind, Duration timeout) {
        Probes.requirePositive(timeout, "ISP lookup", "5s");
        return of(IspLookupTarget.parse(spec), bind, timeout);
    }
}
