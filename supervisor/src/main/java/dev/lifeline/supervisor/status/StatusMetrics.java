package dev.lifeline.supervisor.status;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.lifeline.supervisor.probe.ProbeResult;
import dev.lifeline.supervisor.tunnel.TunnelState;

/**
 * {@code /metrics}: every meter reads the snapshot taken for the scrape, so one scrape is consistent and nothing is
 * counted twice. Meters per tunnel and per probe target are added the first time that name is seen; both come from the
 * config, so their number is bounded. Values the supervisor has not measured yet are NaN, which Prometheus reads as
 * "no value" rather than as a false zero. Every series carries the config's {@code site} label, so one Prometheus can
 * scrape many homes and route their alerts apart. Names follow Prometheus' conventions in base units (seconds,
 * bytes), which {@code promtool check metrics} checks on a live scrape.
 */
final class StatusMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<StatusSnapshot> latest = new AtomicReference<>();
    private final Set<String> tunnels = new HashSet<>();
    private final Set<String> targets = new HashSet<>();
    private boolean modeRegistered;
    private boolean heartbeatRegistered;

    /** @param pricePerHour and monthlyFixed: the configured prices (USD), exported so a dashboard can price the runs */
    StatusMetrics(String site, double pricePerHour, double monthlyFixed) {
        // before any meter: common tags apply to the meters registered after them
        registry.config().commonTags("site", site);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gauge("lifeline.primary.up", "1 when the primary line is declared UP, 0 when DOWN", s -> s.primary() == null ? Double.NaN
                : s.primary() == dev.lifeline.supervisor.link.LinkState.UP ? 1 : 0);
        gauge("lifeline.outage.active", "1 during a primary outage", s -> s.outageActive() ? 1 : 0);
        gauge("lifeline.bastion.running", "1 while the bastion runs (as the outage policy knows it)", s -> s.bastionRunning() ? 1 : 0);
        gauge("lifeline.outbox.pending", "alerts waiting in the outbox", s -> s.outbox().pending());
        FunctionCounter.builder("lifeline.outbox.write.failures", latest, r -> r.get() == null ? 0 : r.get().outbox().writeFailures())
                .description("alert records the disk refused (full, read-only); each was delivered from memory").register(registry);
        gauge("lifeline.backup.healthy", "1 when the last backup check found no problem", s -> s.backup() == null ? Double.NaN : s.backup().healthy() ? 1 : 0);
        // bytes, not bits: Prometheus' base unit for data (the dashboard multiplies by 8 to show bit/s as ISPs sell it)
        Gauge.builder("lifeline.backup.download", latest, r -> backupBytesPerSecond(r.get())).baseUnit("bytes.per.second")
                .description("backup line download rate at the last check").register(registry);
        Gauge.builder("lifeline.bastion.hourly.price", () -> pricePerHour).baseUnit("dollars")
                .description("what the bastion costs per running hour (status.pricePerHour, USD)").register(registry);
        Gauge.builder("lifeline.bastion.monthly.fixed.cost", () -> monthlyFixed).baseUnit("dollars")
                .description("what the bastion costs per month whether it runs or not (status.monthlyFixed, USD)").register(registry);
        Gauge.builder("lifeline.backup.latency", latest, r -> backupLatencySeconds(r.get())).baseUnit("seconds")
                .description("backup line latency (median) at the last check").register(registry);
    }

    synchronized String scrape(StatusSnapshot s) {
        latest.set(s);
        for (TunnelState t : s.tunnels()) {
            if (tunnels.add(t.name())) {
                registerTunnel(t.name());
            }
        }
        if (!modeRegistered && s.policy() != null) {
            // the mode comes from the config and never changes while the daemon runs: one series, set once
            modeRegistered = true;
            Gauge.builder("lifeline.bastion.mode", () -> 1).tag("mode", s.policy().mode().word())
                    .description("1, labelled with the bastion mode (on-outage or always-on) the outage policy runs in").register(registry);
        }
        if (!heartbeatRegistered && s.heartbeat() != null) {
            // configured or not is fixed for the daemon's life: the series exist only where a heartbeat is sent
            heartbeatRegistered = true;
            registerHeartbeat(s.heartbeat().every().toMillis() / 1000.0);
        }
        for (ProbeResult r : s.lastRound()) {
            if (targets.add(r.target())) {
                registerProbe(r.target());
            }
        }
        return registry.scrape();
    }

    private void registerTunnel(String name) {
        Gauge.builder("lifeline.tunnel.up", latest, r -> tunnel(r.get(), name, t -> t.isUp() ? 1 : 0)).tag("tunnel", name)
                .description("1 while the tunnel's session is up with its remote forward").register(registry);
        counter("lifeline.tunnel.bytes.in", "SSH payload bytes received over the tunnel", name, TunnelState::bytesIn);
        counter("lifeline.tunnel.bytes.out", "SSH payload bytes sent over the tunnel", name, TunnelState::bytesOut);
        counter("lifeline.tunnel.reconnects", "sessions opened after the first", name, TunnelState::reconnects);
    }

    private void counter(String meter, String help, String name, ToDoubleFunction<TunnelState> value) {
        FunctionCounter.builder(meter, latest, r -> tunnel(r.get(), name, value)).tag("tunnel", name).description(help).register(registry);
    }

    /**
     * For Prometheus to notice what the outside service would: pings that do not get through (the service will alert,
     * or cannot — a wrong URL, a blocked host). NaN until the first delivered ping.
     */
    private void registerHeartbeat(double periodSeconds) {
        Gauge.builder("lifeline.heartbeat.period", () -> periodSeconds).baseUnit("seconds")
                .description("how often the dead-man's switch pings its outside service (heartbeat.every)").register(registry);
        Gauge.builder("lifeline.heartbeat.last.success.timestamp", latest, r -> {
            StatusSnapshot s = r.get();
            return s == null || s.heartbeat() == null || s.heartbeat().lastSuccessAt() == null ? Double.NaN
                    : s.heartbeat().lastSuccessAt().toEpochMilli() / 1000.0;
        }).baseUnit("seconds").description("when the outside service last accepted a heartbeat ping (Unix time)").register(registry);
        FunctionCounter.builder("lifeline.heartbeat.failures", latest, r -> r.get() == null || r.get().heartbeat() == null ? 0
                        : r.get().heartbeat().failures())
                .description("heartbeat pings the outside service did not accept or could not be reached for").register(registry);
    }

    private void registerProbe(String target) {
        Gauge.builder("lifeline.probe.rtt", latest, r -> probe(r.get(), target)).tag("target", target).baseUnit("seconds")
                .description("round-trip of the primary probe in its last round; NaN when it did not answer").register(registry);
    }

    private void gauge(String meter, String help, ToDoubleFunction<StatusSnapshot> value) {
        Gauge.builder(meter, latest, r -> r.get() == null ? Double.NaN : value.applyAsDouble(r.get())).description(help).register(registry);
    }

    private static double tunnel(StatusSnapshot s, String name, ToDoubleFunction<TunnelState> value) {
        if (s == null) {
            return Double.NaN;
        }
        return s.tunnels().stream().filter(t -> t.name().equals(name)).mapToDouble(value).findFirst().orElse(Double.NaN);
    }

    private static double probe(StatusSnapshot s, String target) {
        if (s == null) {
            return Double.NaN;
        }
        return s.lastRound().stream().filter(r -> r.target().equals(target) && r.ok())
                .mapToDouble(r -> r.rtt().toNanos() / 1e9).findFirst().orElse(Double.NaN);
    }

    private static double backupBytesPerSecond(StatusSnapshot s) {
        return s == null || s.backup() == null || s.backup().bitsPerSecond() == null ? Double.NaN : s.backup().bitsPerSecond() / 8.0;
    }

    private static double backupLatencySeconds(StatusSnapshot s) {
        return s == null || s.backup() == null || s.backup().latency() == null ? Double.NaN : s.backup().latency().toNanos() / 1e9;
    }
}
