package dev.lifeline.supervisor.probe;

/**
 * Who carries a line's traffic, as the internet sees it.
 *
 * @param name     the ISP's organisation name as the lookup reports it ("Starlink", "SPACEX-STARLINK - …, US"); never blank
 * @param asn      its autonomous system number, or null when the source does not say
 * @param publicIp the address the lookup saw the request come from, or null when the source does not say
 */
public record IspIdentity(String name, Long asn, String publicIp) {
    public IspIdentity {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("ISP name is required");
        }
        if (asn != null && (asn <= 0 || asn > 4_294_967_295L)) {
            throw new IllegalArgumentException("asn must be 1…4294967295 (got " + asn + ")");
        }
    }
}
