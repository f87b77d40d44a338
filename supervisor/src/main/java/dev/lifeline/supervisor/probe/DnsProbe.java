package dev.lifeline.supervisor.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.stream.Collectors;

import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Asks a resolver (best: the ISP's own) for an A record. Any real answer proves the path, NXDOMAIN included: we test
 * the line, not the name. SERVFAIL and REFUSED mean the resolver is there but cannot help, so the check failed.
 */
final class DnsProbe implements Probe {
    private final String target;
    private final InetSocketAddress resolver;
    private final Name name;
    private final SourceAddress source;
    private final Duration timeout;

    DnsProbe(String target, InetSocketAddress resolver, Name name, SourceAddress source, Duration timeout) {
        this.target = target;
        this.resolver = resolver;
        this.name = name;
        this.source = source;
        this.timeout = timeout;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public ProbeResult run() {
        long start = System.nanoTime();
        try {
            Message reply = DnsQuery.ask(resolver, source, timeout, name, Type.A);
            Duration rtt = Duration.ofNanos(System.nanoTime() - start);
            int rcode = reply.getRcode();
            if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                String answers = reply.getSection(Section.ANSWER).stream().map(r -> r.rdataToString())
                        .collect(Collectors.joining(" "));
                return ProbeResult.ok(target, rtt, (Rcode.string(rcode) + " " + answers).trim());
            }
            return ProbeResult.failed(target, rtt, Rcode.string(rcode) + " from " + resolver.getAddress().getHostAddress());
        } catch (IOException e) {
            Duration spent = Duration.ofNanos(System.nanoTime() - start);
            return ProbeResult.failed(target, spent, Failures.describe(e, timeout));
        }
    }

    @Override
    public String toString() {
        return "DnsProbe[" + target + " from " + source + "]";
    }
}
