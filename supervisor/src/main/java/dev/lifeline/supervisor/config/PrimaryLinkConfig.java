package dev.lifeline.supervisor.config;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.probe.IspLookupTarget;
import dev.lifeline.supervisor.probe.ProbeTarget;

/**
 * {@code links.primary}: how the primary line is tracked, in the style of OpenWrt's mwan3. Every {@code interval}
 * each probe runs (bound to {@code bind}); a round is good when at least {@code reliability} of them answer within
 * {@code timeout}; {@code down} bad rounds in a row declare the line DOWN, {@code up} good rounds declare it UP.
 *
 * @param egressIsp optional: a URL that reports the caller's ISP (e.g. https://speed.cloudflare.com/meta). When the
 *                  primary path's public egress reports the backup line's ISP, the router has failed over: DOWN.
 */
public record PrimaryLinkConfig(String bind, List<ProbeTarget> probes, Duration interval, Duration timeout, int reliability,
                                int down, int up, IspLookupTarget egressIsp, Duration egressEvery) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_DOWN = 3;
    public static final int DEFAULT_UP = 6;

    @JsonCreator
    public PrimaryLinkConfig(@JsonProperty("bind") String bind, @JsonProperty("probes") List<String> probes,
                             @JsonProperty("interval") Duration interval, @JsonProperty("timeout") Duration timeout,
                             @JsonProperty("reliability") Integer reliability, @JsonProperty("down") Integer down,
                             @JsonProperty("up") Integer up, @JsonProperty("egressIsp") String egressIsp,
                             @JsonProperty("egressEvery") Duration egressEvery) {
        this(bind, ConfigValueException.parseEach("probes", probes == null ? List.of() : probes, ProbeTarget::parse),
                interval == null ? DEFAULT_INTERVAL : interval, timeout == null ? DEFAULT_TIMEOUT : timeout,
                reliability == null ? 1 : reliability, down == null ? DEFAULT_DOWN : down, up == null ? DEFAULT_UP : up,
                egressIsp(egressIsp), egressEvery == null ? Duration.ofMinutes(1) : egressEvery);
    }

    public PrimaryLinkConfig {
        if (probes == null || probes.isEmpty()) {
            throw new ConfigValueException("probes", "probes lists no target; give at least two, e.g. [\"dns://192.168.1.1/example.com\", \"tcp://1.1.1.1:443\"] (DNS to your ISP's resolver; never ICMP)");
        }
        probes = List.copyOf(probes);
        if (interval.isZero() || interval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new ConfigValueException("interval", "interval must be at least 100ms (got " + interval.toMillis() + "ms); mwan3 uses 10s, lifeline 5s");
        }
        if (timeout.isZero() || timeout.compareTo(interval) > 0) {
            throw new ConfigValueException("timeout", "timeout must be more than 0 and at most the interval (" + interval.toMillis() + "ms; got " + timeout.toMillis() + "ms)");
        }
        if (reliability < 1 || reliability > probes.size()) {
            throw new ConfigValueException("reliability", "reliability must be 1.." + probes.size() + " (how many probes must answer for a good round; got " + reliability + ")");
        }
        if (down < 1) {
            throw new ConfigValueException("down", "down must be ≥ 1 (bad rounds in a row to declare the line down; got " + down + ")");
        }
        if (up < 1) {
            throw new ConfigValueException("up", "up must be ≥ 1 (good rounds in a row to declare the line up; got " + up + ")");
        }
    }

    private static IspLookupTarget egressIsp(String text) {
        if (text != null && !text.startsWith("http://") && !text.startsWith("https://")) {
            throw new ConfigValueException("egressIsp", "egressIsp must be an http(s) URL that reports the caller's ISP, e.g. https://speed.cloudflare.com/meta (got " + text + ")");
        }
        return text == null ? null : ConfigValueException.parse("egressIsp", text, IspLookupTarget::parse);
    }

    /** Detection bound: the last good answer to DOWN declared. */
    public Duration detectionBound() {
        return interval.multipliedBy(down).plus(timeout);
    }
}
