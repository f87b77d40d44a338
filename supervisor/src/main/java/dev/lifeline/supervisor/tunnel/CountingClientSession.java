package dev.lifeline.supervisor.tunnel;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.sshd.client.ClientFactoryManager;
import org.apache.sshd.client.session.ClientSessionImpl;
import org.apache.sshd.client.session.SessionFactory;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.forward.ForwardingTunnelEndpointsProvider;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.buffer.Buffer;

/** A client session that counts the SSH payload bytes it carries, for the tunnel's "bytes through". */
final class CountingClientSession extends ClientSessionImpl {
    private final AtomicLong in = new AtomicLong();
    private final AtomicLong out = new AtomicLong();
    private final Set<Channel> openChannels = ConcurrentHashMap.newKeySet();
    private final ProofOfLife life = new ProofOfLife(System.nanoTime());
    private volatile Throwable failure;

    /**
     * @param healthPorts bastion ports whose connections are the tunnel watchdog's health requests, not a person's: on a
     *                    slow line one is open most of the time, and counted they would hold the bastion up for ever
     */
    CountingClientSession(ClientFactoryManager client, IoSession ioSession, Set<Integer> healthPorts) throws Exception {
        super(client, ioSession);
        // The session opens no channel of its own, so every channel is a connection forwarded from the bastion.
        addChannelListener(new ChannelListener() {
            @Override
            public void channelOpenSuccess(Channel channel) {
                if (!(channel instanceof ForwardingTunnelEndpointsProvider t && t.getTunnelEntrance() != null
                        && healthPorts.contains(t.getTunnelEntrance().getPort()))) {
                    openChannels.add(channel);
                }
            }

            @Override
            public void channelClosed(Channel channel, Throwable reason) {
                openChannels.remove(channel);
            }
        });
    }

    /** Connections through this session right now (a person's SSH or HTTP through the bastion). */
    int openConnections() {
        return openChannels.size();
    }

    @Override
    public IoWriteFuture writePacket(Buffer buffer) throws IOException {
        out.addAndGet(buffer.available());
        return super.writePacket(buffer);
    }

    /**
     * Every chunk the socket delivers, before any decoding: a 32 KB packet trickling in over a lossy line proves the
     * path alive long before it is whole.
     */
    @Override
    public void messageReceived(Readable buffer) throws Exception {
        life.read(System.nanoTime());
        super.messageReceived(buffer);
    }

    ProofOfLife proofOfLife() {
        return life;
    }

    @Override
    protected void handleMessage(Buffer buffer) throws Exception {
        in.addAndGet(buffer.available());
        super.handleMessage(buffer);
    }

    @Override
    public void exceptionCaught(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        super.exceptionCaught(t);
    }

    /** {@link KeepaliveWatch} ended the session: its path went silent with a keepalive outstanding. */
    boolean isHeartbeatLost() {
        return failure instanceof SilentPathException;
    }

    /** Why the session failed, if it did; null for a plain close. */
    String failureMessage() {
        Throwable t = failure;
        return t == null ? null : t.getMessage();
    }

    long bytesIn() {
        return in.get();
    }

    long bytesOut() {
        return out.get();
    }

    /** Makes every session of the client a counting one. */
    static final class Factory extends SessionFactory {
        private final Set<Integer> healthPorts;

        Factory(ClientFactoryManager client, Set<Integer> healthPorts) {
            super(client);
            this.healthPorts = Set.copyOf(healthPorts);
        }

        @Override
        protected ClientSessionImpl doCreateSession(IoSession ioSession) throws Exception {
            return new CountingClientSession(getClient(), ioSession, healthPorts);
        }
    }
}
