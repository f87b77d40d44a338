package dev.lifeline.supervisor.tunnel;

import java.util.Map;

import org.apache.sshd.common.forward.DefaultForwarder;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * MINA's forwarder, except that a connection arriving on one of our bastion ports finds its home address without
 * waiting for MINA's lock. MINA 2.16's DefaultForwarder holds its monitor in startRemotePortForwarding until the
 * bastion answers, and getForwardedPort, which the I/O thread calls for every incoming forwarded-tcpip channel, takes
 * the same monitor: a connection on the tunnel's port (nginx under load) or on the health port (the watchdog asks at
 * once) while the second -R is in flight blocks the I/O thread, so the answer it waits for is never read. The session
 * then dies of unanswered keepalives, every time, under load (seen in TunnelWatchdogIT). The routes are the plan's own
 * (tunnel port → home service, health port → responder), so the answer is the one MINA would give once registered;
 * the bastion only opens such channels for listeners this session asked for.
 */
final class PlannedForwarder extends DefaultForwarder {
    private final Map<Integer, SshdSocketAddress> routes;

    PlannedForwarder(ConnectionService service, Map<Integer, SshdSocketAddress> routes) {
        super(service);
        this.routes = Map.copyOf(routes);
    }

    @Override
    public SshdSocketAddress getForwardedPort(int remotePort) {
        SshdSocketAddress planned = routes.get(remotePort);
        return planned != null ? planned : super.getForwardedPort(remotePort);
    }
}
