package dev.lifeline.supervisor.link;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.probe.IspLookupTarget;
import dev.lifeline.supervisor.probe.ProbeTarget;
import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.settings.Endpoints;
import dev.lifeline.supervisor.settings.HumanSize;

/**
 * {@code links.backup}: the health check of the backup line, every {@code every}: the right ISP, download at least
 * {@code minDownload}, latency at most {@code maxLatency}; speed tests stay inside {@code dataBudget} a day.
 *
 * @param expectIsp      the backup ISP's name as the lookup reports it (case-insensitive substring) or its AS number, {@code AS14593}
 * @param ispLookup      where the ISP is looked up: an https URL reporting the caller's ISP as JSON, or {@code dns-asn}
 * @param speedUrls      download URLs for the speed test
 * @param bastionSpeedUrl the bastion's own https://DOMAIN/lifeline/speed, tried first while the bastion runs; null: none
 * @param latencyProbes  probe targets whose round-trip time is the latency (the backup ISP's resolver is a good one)
 * @param maxBytesPerCheck cap for one speed test
 */
public record BackupLinkConfig(String bind, String expectIsp, IspLookupTarget ispLookup, List<URI> speedUrls, URI bastionSpeedUrl,
                               long minDownloadBitsPerSecond, Duration maxLatency, List<ProbeTarget> latencyProbes,
                               Duration every, long dataBudgetBytesPerDay, long maxBytesPerCheck, Duration timeout) {
    public static final String DEFAULT_ISP_LOOKUP = "https://speed.cloudflare.com/meta";
    private static final String SPEED_URL = "https://speed.cloudflare.com/__down?bytes=25000000";

    @JsonCreator
    public BackupLinkConfig(@JsonProperty("bind") String bind, @JsonProperty("expectIsp") String expectIsp,
                            @JsonProperty("ispLookup") String ispLookup, @JsonProperty("speedUrls") List<String> speedUrls,
                            @JsonProperty("bastionSpeedUrl") String bastionSpeedUrl,
                            @JsonProperty("minDownload") String minDownload, @JsonProperty("maxLatency") Duration maxLatency,
                            @JsonProperty("latencyProbes") List<String> latencyProbes, @JsonProperty("every") Duration every,
                            @JsonProperty("dataBudget") String dataBudget, @JsonProperty("maxBytesPerCheck") String maxBytesPerCheck,
                            @JsonProperty("timeout") Duration timeout) {
        this(bind, expectIsp, ConfigValueException.parse("ispLookup", ispLookup == null ? DEFAULT_ISP_LOOKUP : ispLookup, IspLookupTarget::parse),
                ConfigValueException.parseEach("speedUrls", speedUrls == null ? List.of() : speedUrls, u -> Endpoints.required("speedUrls", u, SPEED_URL)),
                bastionSpeedUrl(bastionSpeedUrl),
                ConfigValueException.parseNamed("minDownload", minDownload == null ? "10Mbit" : minDownload, HumanSize::bitsPerSecond),
                maxLatency == null ? Duration.ofMillis(150) : maxLatency,
                ConfigValueException.parseEach("latencyProbes", latencyProbes == null ? List.of() : latencyProbes, ProbeTarget::parse),
                every == null ? Duration.ofHours(1) : every,
                ConfigValueException.parseNamed("dataBudget", dataBudget == null ? "100MB/day" : dataBudget, BackupLinkConfig::budget),
                ConfigValueException.parseNamed("maxBytesPerCheck", maxBytesPerCheck == null ? "5MB" : maxBytesPerCheck, HumanSize::bytes),
                timeout == null ? Duration.ofSeconds(5) : timeout);
    }

    public BackupLinkConfig {
        if (expectIsp == null || expectIsp.isBlank()) {
            throw new ConfigValueException("expectIsp", "expectIsp is missing; give the backup ISP's name as https://speed.cloudflare.com/meta reports it (asOrganization) or its AS number, e.g. AS14593");
        }
        speedUrls = List.copyOf(speedUrls);
        latencyProbes = List.copyOf(latencyProbes);
        if (minDownloadBitsPerSecond < 1) {
            throw new ConfigValueException("minDownload", "minDownload must be more than 0, e.g. 10Mbit");
        }
        if (maxLatency.isZero()) {
            throw new ConfigValueException("maxLatency", "maxLatency must be more than 0, e.g. 150ms");
        }
        if (every.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new ConfigValueException("every", "every must be at least 1m (a metered line pays for each check; got " + every.toSeconds() + "s)");
        }
        if (maxBytesPerCheck < 64 * 1024) {
            throw new ConfigValueException("maxBytesPerCheck", "maxBytesPerCheck must be at least 64KB to measure anything");
        }
    }

    private static URI bastionSpeedUrl(String text) {
        if (text != null && !text.startsWith("https://")) {
            throw new ConfigValueException("bastionSpeedUrl", "bastionSpeedUrl must be https://YOUR-DOMAIN/lifeline/speed (got " + text + ")");
        }
        return Endpoints.optional("bastionSpeedUrl", text, "https://YOUR-DOMAIN/lifeline/speed");
    }

    private static long budget(String text) {
        String t = text.trim();
        if (!t.endsWith("/day")) {
            throw new IllegalArgumentException("must be a size per day, e.g. 100MB/day (got " + text + ")");
        }
        return HumanSize.bytes(t.substring(0, t.length() - 4));
    }
}
