package dev.lifeline.supervisor.link;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.probe.IspLookupTarget;
import dev.lifeline.supervisor.probe.ProbeTarget;
import dev.lifeline.supervisor.settings.ConfigValueException;

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
    /*
     * The defaults: an outage declared at most interval × down + timeout = 6.9 s after the last good answer (issue 17:
     * ≤ 8 s), and calm on a line that loses 20 % of the answers. With P probes, reliability 1 and independent loss p, a
     * round is bad with q = p^P (3 probes: 0.008); a false outage needs `down` bad rounds in a row, about
     * rounds × q^down of them: a month of 1 s rounds (2.6 million) with down 6 expects 7e-7 (two probes: 0.01), where
     * the old 5 s, 2 s, down 3 (17 s) expected 0.26 a month (two probes: 32). SimulatedPrimaryLine runs that month
     * through the real monitor (PrimaryLinkMonthTest). Load: a query per probe a second, far below what public
     * resolvers throttle (Google Public DNS: 1000-1500 queries/s per address, developers.google.com/speed/public-dns/docs/isp);
     * dpinger, which pfSense uses, sends an echo every 500 ms by default (dennypage/dpinger, dpinger.c, send_interval_msec).
     */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /**
     * Long enough for a slow answer (a full uplink's queue) to count, and a little under the interval: a round that
     * waits out its timeouts ends before the next is due. At a fixed rate, rounds of 1 s plus a few ms would fall
     * behind all through an outage and then run back to back when the line returns (seen with timeout 1 s: DOWN
     * 7.05 s after the last answer where 7 s was due).
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(900);
    public static final int DEFAULT_DOWN = 6;
    /** 30 good rounds: UP after 30 s of a working line, as before (6 rounds of 5 s). */
    public static final int DEFAULT_UP = 30;

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
            throw new ConfigValueException("interval", "interval must be at least 100ms (got " + interval.toMillis() + "ms); mwan3 uses 10s, lifeline 1s");
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
