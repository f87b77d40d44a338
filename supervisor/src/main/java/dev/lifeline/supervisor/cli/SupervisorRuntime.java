package dev.lifeline.supervisor.cli;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lifeline.supervisor.alert.Scheduler;
import dev.lifeline.supervisor.cloud.BastionControl;
import dev.lifeline.supervisor.cloud.BastionControls;
import dev.lifeline.supervisor.cloud.BastionMode;
import dev.lifeline.supervisor.cloud.BastionProvider;
import dev.lifeline.supervisor.cloud.CloudSettings;
import dev.lifeline.supervisor.cloud.LocalHooks;
import dev.lifeline.supervisor.config.SupervisorConfig;
import dev.lifeline.supervisor.event.EventSink;
import dev.lifeline.supervisor.heartbeat.Heartbeat;
import dev.lifeline.supervisor.heartbeat.Trouble;
import dev.lifeline.supervisor.link.BackupHealthCheck;
import dev.lifeline.supervisor.link.BackupLinkConfig;
import dev.lifeline.supervisor.link.ExpectedIsp;
import dev.lifeline.supervisor.link.LinkTracker;
import dev.lifeline.supervisor.link.PrimaryLinkConfig;
import dev.lifeline.supervisor.link.PrimaryLinkMonitor;
import dev.lifeline.supervisor.policy.OutagePolicy;
import dev.lifeline.supervisor.policy.PolicyMemoryFile;
import dev.lifeline.supervisor.probe.DataBudget;
import dev.lifeline.supervisor.probe.IspLookup;
import dev.lifeline.supervisor.probe.IspLookups;
import dev.lifeline.supervisor.probe.Probe;
import dev.lifeline.supervisor.probe.ProbeException;
import dev.lifeline.supervisor.probe.ProbeTarget;
import dev.lifeline.supervisor.probe.Probes;
import dev.lifeline.supervisor.status.OutboxView;
import dev.lifeline.supervisor.status.StatusServer;
import dev.lifeline.supervisor.status.StatusSource;
import dev.lifeline.supervisor.tunnel.TunnelConfig;
import dev.lifeline.supervisor.tunnel.TunnelSupervisor;
import dev.lifeline.templates.spec.TunnelService;

/**
 * Everything `lifeline run` keeps going, wired from the config: the tunnels; the primary line's rounds feeding the
 * outage policy, which drives the cloud; the backup line's periodic health check. Each part runs on its own
 * thread, so a slow cloud call or speed test never delays a probe round.
 */
final class SupervisorRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisorRuntime.class);
    static final Duration POLICY_TICK = Duration.ofSeconds(5);
    static final Duration FIRST_BACKUP_CHECK = Duration.ofSeconds(30);
    static final Duration CLOUD_AWAIT = Duration.ofMinutes(5);

    private final TunnelSupervisor tunnels;
    private final BastionControl bastion;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, named("lifeline-schedule"));
    /** The backup check (a speed test of seconds) on a thread of its own, so it never delays a primary round. */
    private final ScheduledExecutorService backupThread = Executors.newSingleThreadScheduledExecutor(named("lifeline-backup"));
    /** The dead-man's switch on a thread of its own: a ping waiting out its timeout delays nothing else. */
    private final ScheduledExecutorService heartbeatThread = Executors.newSingleThreadScheduledExecutor(named("lifeline-heartbeat"));
    private final ExecutorService cloudCalls = Executors.newSingleThreadExecutor(named("lifeline-cloud"));
    private final ExecutorService probeThreads = Executors.newCachedThreadPool(named("lifeline-probe"));
    private final OutagePolicy policy;
    private final PrimaryLinkMonitor primary;
    private final BackupHealthCheck backup;
    private StatusServer status;
    /** Set once at start; read by the status server's threads. */
    private volatile Heartbeat heartbeat;

    private SupervisorRuntime(SupervisorConfig cfg, EventSink events, Clock clock, CloudSettings cloud, LocalHooks hooks) {
        this.tunnels = TunnelSupervisor.start(cfg.tunnelPlan(), new TunnelEvents(events, clock), clock, RandomGenerator.getDefault());
        try {
            boolean controlsCloud = cfg.links() != null && cfg.links().primary() != null
                    || cfg.bastion().mode() == BastionMode.ALWAYS_ON && cfg.bastion().provider() != BastionProvider.LOCAL;
            this.bastion = controlsCloud ? BastionControls.forConfig(cfg.bastion(), cloud, hooks) : null;
            this.policy = bastion == null ? null : new OutagePolicy(cfg.bastion().mode(), cfg.policy(), bastion,
                    tunnels::reconnectNow, tunnels::openConnections, events, clock, cloudCalls, CLOUD_AWAIT,
                    new PolicyMemoryFile(cfg.stateDir()));
            this.primary = cfg.links() == null || cfg.links().primary() == null ? null : primaryMonitor(cfg, clock);
            this.backup = cfg.links() == null || cfg.links().backup() == null ? null : backupCheck(cfg, events, clock);
        } catch (RuntimeException e) {
            // a probe or a cloud file the loader could only check for form: leave nothing running behind
            shutdownThreads();
            tunnels.close();
            throw e;
        }
    }

    /**
     * @throws IllegalArgumentException a probe or key the config loader could only check for form
     */
    static SupervisorRuntime start(SupervisorConfig cfg, EventSink events, Clock clock) {
        return start(cfg, events, clock, CloudSettings.DEFAULTS, LocalHooks.NONE, () -> OutboxView.EMPTY);
    }

    static SupervisorRuntime start(SupervisorConfig cfg, EventSink events, Clock clock, Supplier<OutboxView> outbox) {
        return start(cfg, events, clock, CloudSettings.DEFAULTS, LocalHooks.NONE, outbox);
    }

    /** The demo's way in: its embedded bastion is the {@code local} provider's start and stop, polled quickly. */
    static SupervisorRuntime start(SupervisorConfig cfg, EventSink events, Clock clock, CloudSettings cloud, LocalHooks hooks,
                                   Supplier<OutboxView> outbox) {
        SupervisorRuntime r = new SupervisorRuntime(cfg, events, clock, cloud, hooks);
        try {
            r.schedule(cfg, clock);
            r.serveStatus(cfg, outbox, clock);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    /**
     * A status page that cannot listen (the port taken) is logged and done without: the tunnels matter more. A
     * token file that is wrong is bad input and stops the start, like any config error.
     */
    private void serveStatus(SupervisorConfig cfg, Supplier<OutboxView> outbox, Clock clock) {
        StatusSource source = StatusSource.of(tunnels, primary, backup, this::policySnapshot, outbox,
                () -> heartbeat == null ? null : heartbeat.state(),
                cfg.tunnels().stream().filter(t -> t.service() == TunnelService.SSH).map(TunnelConfig::name).collect(Collectors.toSet()));
        try {
            status = StatusServer.start(cfg.status(), source, clock);
            LOG.info("status page on {}", status.uri());
        } catch (java.io.UncheckedIOException e) {
            LOG.error("status page not served: {} (change status.listen)", e.getMessage());
        }
    }

    /** Where the status page is, or null when it is not served. */
    java.net.URI statusUri() {
        return status == null ? null : status.uri();
    }

    private PrimaryLinkMonitor primaryMonitor(SupervisorConfig cfg, Clock clock) {
        PrimaryLinkConfig p = cfg.links().primary();
        List<Probe> probes = new ArrayList<>();
        for (ProbeTarget target : p.probes()) {
            probes.add(Probes.of(target, p.bind(), p.timeout()));
        }
        PrimaryLinkMonitor.EgressCheck egress = null;
        BackupLinkConfig b = cfg.links().backup();
        if (p.egressIsp() != null && b != null) {
            IspLookup lookup = IspLookups.of(p.egressIsp(), p.bind(), p.timeout());
            ExpectedIsp backupIsp = new ExpectedIsp(b.expectIsp());
            egress = () -> {
                try {
                    var id = lookup.lookup();
                    return new PrimaryLinkMonitor.EgressCheck.Verdict(backupIsp.matches(id), false, ExpectedIsp.describe(id));
                } catch (ProbeException e) {
                    return new PrimaryLinkMonitor.EgressCheck.Verdict(false, true, e.getMessage());
                }
            };
        }
        LinkTracker tracker = new LinkTracker("primary", p.reliability(), p.down(), p.up(), clock.instant());
        return new PrimaryLinkMonitor(probes, tracker, egress, p.egressEvery(),
                t -> {
                    if (policy != null) {
                        policy.primaryChanged(t);
                    }
                }, clock, probeThreads);
    }

    private BackupHealthCheck backupCheck(SupervisorConfig cfg, EventSink events, Clock clock) {
        BackupLinkConfig b = cfg.links().backup();
        List<Probe> latency = new ArrayList<>();
        for (ProbeTarget target : b.latencyProbes()) {
            latency.add(Probes.of(target, b.bind(), b.timeout()));
        }
        Optional<URI> own = Optional.ofNullable(b.bastionSpeedUrl());
        return new BackupHealthCheck(b, IspLookups.of(b.ispLookup(), b.bind(), b.timeout()), latency, b.speedUrls(),
                () -> policy != null && "ON".equals(policy.snapshot().bastion()) ? own : Optional.empty(),
                new DataBudget(cfg.stateDir().resolve("data-budget.json"), b.dataBudgetBytesPerDay(), clock), events, clock);
    }

    private void schedule(SupervisorConfig cfg, Clock clock) {
        if (policy != null) {
            policy.reconcile();
            every(POLICY_TICK, POLICY_TICK, policy::tick, "outage policy");
        }
        if (primary != null) {
            Duration interval = cfg.links().primary().interval();
            // At a fixed rate: a round that waits out its timeouts must not push the next one back, or detection
            // would take down × (interval + timeout) instead of down × interval + timeout.
            scheduler.scheduleAtFixedRate(guarded(primary::round, "primary line round"), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (backup != null) {
            Duration every = cfg.links().backup().every();
            backupThread.scheduleWithFixedDelay(guarded(() -> backup.run(bytes -> { }), "backup line check"),
                    FIRST_BACKUP_CHECK.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (cfg.heartbeat() != null) {
            heartbeat = Heartbeat.start(cfg.heartbeat(), this::trouble, onHeartbeatThread(clock), clock, RandomGenerator.getDefault());
        }
    }

    /** What the heartbeat reports as "fail": an outage declared, or the backup line's last check unhealthy. */
    private Optional<String> trouble() {
        return Trouble.of(policySnapshot(), primary == null ? null : primary.state(), backup == null ? null : backup.last().orElse(null));
    }

    /** A stop interrupts a ping in flight (shutdownNow) rather than wait out its timeout. */
    private Scheduler onHeartbeatThread(Clock clock) {
        return (at, task) -> {
            long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
            try {
                heartbeatThread.schedule(task, delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopped: no more pings, which is what the outside service is there to notice
            }
        };
    }

    private void every(Duration first, Duration period, Runnable task, String what) {
        scheduler.scheduleWithFixedDelay(guarded(task, what), first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A periodic task that survives its own failures: a bug in one round must not end the tracking. */
    private static Runnable guarded(Runnable task, String what) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{} failed: {}", what, e.toString());
            }
        };
    }

    TunnelSupervisor tunnels() {
        return tunnels;
    }

    /** null when the supervisor does not control the cloud (tunnels only). */
    OutagePolicy.Snapshot policySnapshot() {
        return policy == null ? null : policy.snapshot();
    }

    @Override
    public void close() {
        if (status != null) {
            status.close();
        }
        shutdownThreads();
        tunnels.close();
        if (bastion != null) {
            bastion.close();
        }
    }

    private void shutdownThreads() {
        if (heartbeat != null) {
            heartbeat.close();
        }
        heartbeatThread.shutdownNow();
        scheduler.shutdownNow();
        backupThread.shutdownNow();
        probeThreads.shutdownNow();
        cloudCalls.shutdownNow();
    }

    private static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
