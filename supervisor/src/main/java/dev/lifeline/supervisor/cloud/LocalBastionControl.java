package dev.lifeline.supervisor.cloud;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import dev.lifeline.supervisor.cloud.BastionStatus.State;

/**
 * A bastion the supervisor does not own: a process on this machine or a hand-built host. Its state is whether its
 * SSH port accepts a connection; start and stop run the caller's hooks (an embedded test bastion) or do nothing.
 */
final class LocalBastionControl implements BastionControl {
    private final String host;
    private final int port;
    private final Duration probeTimeout;
    private final LocalHooks hooks;
    private final StatusPoller poller;

    LocalBastionControl(String host, int port, CloudSettings settings, LocalHooks hooks) {
        this.host = host;
        this.port = port;
        this.probeTimeout = settings.localProbeTimeout();
        this.hooks = hooks;
        this.poller = new StatusPoller(settings.pollInterval());
    }

    @Override
    public String describe() {
        return "local " + host + ":" + port;
    }

    @Override
    public BastionStatus status() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) probeTimeout.toMillis());
            return new BastionStatus(host + ":" + port, State.RUNNING, host, "listening");
        } catch (IOException e) {
            return new BastionStatus(host + ":" + port, State.STOPPED, null, "not listening");
        }
    }

    @Override
    public void start() {
        hooks.start().run();
    }

    @Override
    public void stop() {
        hooks.stop().run();
    }

    @Override
    public BastionStatus await(State wanted, Duration timeout) {
        return poller.await(this::status, wanted, timeout);
    }

    @Override
    public String toString() {
        return describe();
    }
}
