package dev.lifeline.supervisor.probe;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The ISP by DNS alone, for lines where HTTPS to a lookup service is blocked or metered: the own public IP from a
 * resolver that reports the asker ({@code myip.opendns.com} at OpenDNS), then Team Cymru's IP-to-ASN zones:
 * {@code 4.3.2.1.origin.asn.cymru.com TXT "64500 | 1.2.3.0/24 | ZZ | …"} and
 * {@code AS64500.asn.cymru.com TXT "64500 | ZZ | … | NAME - Long name, ZZ"}.
 */
final class DnsAsnLookup implements IspLookup {
    /** Where each question goes. OpenDNS is a full recursive resolver, so it also answers the Cymru questions. */
    record Settings(InetSocketAddress myIpResolver, String myIpName, InetSocketAddress asnResolver, String originZone, String asnZone) {
        static final InetSocketAddress OPENDNS = new InetSocketAddress(InetAddressLiteral.of("208.67.222.222"), 53);
        static final Settings DEFAULTS = new Settings(OPENDNS, "myip.opendns.com", OPENDNS, "origin.asn.cymru.com", "asn.cymru.com");

        Settings {
            if (myIpResolver == null || asnResolver == null || myIpName == null || originZone == null || asnZone == null) {
                throw new IllegalArgumentException("dns-asn: resolvers, myip name and zones are all required");
            }
        }

        /** The same questions, all asked of one resolver. */
        Settings at(InetSocketAddress resolver) {
            return new Settings(resolver, myIpName, resolver, originZone, asnZone);
        }
    }

    private final Settings settings;
    private final SourceAddress source;
    private final Duration timeout;

    DnsAsnLookup(Settings settings, SourceAddress source, Duration timeout) {
        this.settings = settings;
        this.source = source;
        this.timeout = timeout;
    }

    @Override
    public IspIdentity lookup() {
        InetAddress ip = myIp();
        String originTxt = firstTxt(settings.asnResolver(), reversed(ip) + "." + settings.originZone());
        long asn = asnOf(originTxt);
        String asTxt = firstTxt(settings.asnResolver(), "AS" + asn + "." + settings.asnZone());
        String[] fields = asTxt.split("\\|");
        String name = fields[fields.length - 1].trim();
        if (fields.length < 5 || name.isEmpty()) {
            throw new ProbeException("AS" + asn + "." + settings.asnZone() + " TXT has no name in its fifth field (got '" + asTxt + "')");
        }
        return new IspIdentity(name, asn, ip.getHostAddress());
    }

    private InetAddress myIp() {
        Message reply = ask(settings.myIpResolver(), settings.myIpName(), Type.A);
        List<Record> answers = reply.getSection(Section.ANSWER);
        return answers.stream().filter(r -> r instanceof ARecord).map(r -> ((ARecord) r).getAddress()).findFirst()
                .orElseThrow(() -> new ProbeException(settings.myIpName() + " A at " + where(settings.myIpResolver())
                        + " gave no address (" + Rcode.string(reply.getRcode()) + "); that resolver must report the asker's IP"));
    }

    private String firstTxt(InetSocketAddress resolver, String name) {
        Message reply = ask(resolver, name, Type.TXT);
        return reply.getSection(Section.ANSWER).stream().filter(r -> r instanceof TXTRecord)
                .map(r -> text((TXTRecord) r)).findFirst()
                .orElseThrow(() -> new ProbeException(name + " TXT at " + where(resolver) + " gave no answer ("
                        + Rcode.string(reply.getRcode()) + ")"));
    }

    private Message ask(InetSocketAddress resolver, String name, int type) {
        try {
            return DnsQuery.ask(resolver, source, timeout, Name.fromString(name.endsWith(".") ? name : name + "."), type);
        } catch (TextParseException e) {
            throw new ProbeException("'" + name + "' is not a DNS name: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ProbeException(name + " " + Type.string(type) + " at " + where(resolver) + ": "
                    + Failures.describe(e, timeout), e);
        }
    }

    /** The raw character-strings joined: getStrings() gives presentation form, with quotes and escapes. */
    private static String text(TXTRecord r) {
        StringBuilder b = new StringBuilder();
        for (byte[] part : r.getStringsAsByteArrays()) {
            b.append(new String(part, java.nio.charset.StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** "64500 | 198.18.0.0/15 | ZZ | …" → 64500; when an address has several origins Cymru lists them space-separated. */
    private static long asnOf(String txt) {
        String first = txt.split("\\|")[0].trim().split("\\s+")[0];
        try {
            return Long.parseLong(first);
        } catch (NumberFormatException e) {
            throw new ProbeException("origin TXT does not start with an AS number (got '" + txt + "')");
        }
    }

    private static String reversed(InetAddress ip) {
        if (!(ip instanceof Inet4Address)) {
            throw new ProbeException("public address " + ip.getHostAddress() + " is not IPv4; dns-asn asks origin (IPv4) only");
        }
        byte[] b = ip.getAddress();
        return (b[3] & 0xff) + "." + (b[2] & 0xff) + "." + (b[1] & 0xff) + "." + (b[0] & 0xff);
    }

    private static String where(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Override
    public String toString() {
        return "DnsAsnLookup[" + where(settings.myIpResolver()) + ", " + settings.originZone() + "]";
    }
}
