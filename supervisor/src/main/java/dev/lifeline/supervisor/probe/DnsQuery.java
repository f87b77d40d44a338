package dev.lifeline.supervisor.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

/** One DNS question to one resolver, from the line's source address, answered or not within the timeout. */
final class DnsQuery {
    private DnsQuery() {
    }

    /** The resolver's reply (any rcode); IOException on timeout or when nothing could be sent. */
    static Message ask(InetSocketAddress resolver, SourceAddress source, Duration timeout, Name name, int type) throws IOException {
        SimpleResolver r = new SimpleResolver(resolver);
        InetAddress local;
        try {
            local = source.resolve();
        } catch (ProbeException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (local != null) {
            r.setLocalAddress(local);
        }
        r.setTimeout(timeout);
        return r.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
    }
}
