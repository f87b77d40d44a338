package dev.lifeline.supervisor.link;

import java.util.Locale;
import java.util.regex.Pattern;

import dev.lifeline.supervisor.probe.IspIdentity;

/** The ISP a line should leave through: an AS number ({@code AS14593}) or a name, matched case-insensitively as a part. */
public record ExpectedIsp(String spec) {
    private static final Pattern ASN = Pattern.compile("(?i)AS(\\d{1,10})");

    public boolean matches(IspIdentity isp) {
        var m = ASN.matcher(spec.trim());
        if (m.matches()) {
            return isp.asn() != null && isp.asn() == Long.parseLong(m.group(1));
        }
        return isp.name().toLowerCase(Locale.ROOT).contains(spec.trim().toLowerCase(Locale.ROOT));
    }

    /** {@code Starlink AS14593}. */
    public static String describe(IspIdentity isp) {
        return isp.name() + (isp.asn() == null ? "" : " AS" + isp.asn());
    }
}
