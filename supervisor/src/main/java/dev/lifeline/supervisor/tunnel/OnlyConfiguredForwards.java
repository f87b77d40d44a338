package dev.lifeline.supervisor.tunnel;

import java.util.Set;

import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;

/**
 * What the bastion may make this client do: open connections to the configured home services for the
 * remote forwards we asked for, and nothing else — no agent, no X11, no listening here. MINA's default
 * filter refuses everything, which would refuse the tunnel's own traffic too.
 */
final class OnlyConfiguredForwards implements ForwardingFilter {
    private final Set<SshdSocketAddress> homeServices;

    OnlyConfiguredForwards(Set<SshdSocketAddress> homeServices) {
        this.homeServices = Set.copyOf(homeServices);
    }

    @Override
    public boolean canForwardAgent(Session session, String requestType) {
        return false;
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
        return false;
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        return false;
    }

    @Override
    public boolean canConnect(TcpForwardingFilter.Type type, SshdSocketAddress address, Session session) {
        return type == TcpForwardingFilter.Type.Forwarded && homeServices.contains(address);
    }

}
