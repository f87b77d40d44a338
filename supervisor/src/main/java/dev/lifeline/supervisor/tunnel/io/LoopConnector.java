package dev.lifeline.supervisor.tunnel.io;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.Closeable;
import org.apache.sshd.common.Property;
import org.apache.sshd.common.PropertyResolver;
import org.apache.sshd.common.future.CancelFuture;
import org.apache.sshd.common.io.DefaultIoConnectFuture;
import org.apache.sshd.common.io.IoConnectFuture;
import org.apache.sshd.common.io.IoConnector;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.nio2.Nio2Service;
import org.apache.sshd.common.util.closeable.AbstractInnerCloseable;
import org.apache.sshd.core.CoreModuleProperties;

/** Opens connections whose sessions live on one {@link EventLoop}: MINA's client's to the bastion, a channel's to home. */
final class LoopConnector extends AbstractInnerCloseable implements IoConnector {
    private final PropertyResolver properties;
    private final IoHandler handler;
    private final EventLoop loop;
    private final Map<Long, IoSession> sessions = new ConcurrentHashMap<>();
    private volatile IoServiceEventListener eventListener;

    LoopConnector(PropertyResolver properties, IoHandler handler, EventLoop loop) {
        this.properties = properties;
        this.handler = handler;
        this.loop = loop;
    }

    @Override
    public IoConnectFuture connect(SocketAddress target, AttributeRepository context, SocketAddress localAddress) {
        DefaultIoConnectFuture future = new DefaultIoConnectFuture(target, null);
        SocketChannel channel;
        try {
            channel = SocketChannel.open();
        } catch (IOException e) {
            future.setException(e);
            return future;
        }
        try {
            channel.configureBlocking(false);
            setSocketOptions(channel);
            if (localAddress != null) {
                channel.bind(localAddress);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            future.setException(e);
            return future;
        }
        loop.execute(() -> startConnecting(channel, target, context, future));
        return future;
    }

    /** In the loop. */
    private void startConnecting(SocketChannel channel, SocketAddress target, AttributeRepository context,
                                 DefaultIoConnectFuture future) {
        if (future.isCanceled() || isClosing()) {
            closeQuietly(channel);
            return;
        }
        try {
            SelectionKey key = channel.register(loop.selector(), 0);
            if (channel.connect(target)) {
                established(channel, key, context, future);
                return;
            }
            Duration timeout = CoreModuleProperties.IO_CONNECT_TIMEOUT.getRequired(properties);
            EventLoop.Timer expiry = timeout.isZero() || timeout.isNegative() ? null
                    : loop.schedule(timeout, () -> {
                        closeQuietly(channel);
                        future.setException(new ConnectException("no answer from " + target + " within " + timeout));
                    });
            future.addListener(f -> {
                if (f.isCanceled()) {
                    loop.execute(() -> {
                        if (expiry != null) {
                            expiry.cancel();
                        }
                        closeQuietly(channel);
                        f.getCancellation().setCanceled();
                    });
                }
            });
            key.attach((EventLoop.Ready) k -> finishConnecting(channel, k, expiry, context, future));
            key.interestOps(SelectionKey.OP_CONNECT);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            future.setException(e);
        }
    }

    /** In the loop, when the connect completed one way or the other. */
    private void finishConnecting(SocketChannel channel, SelectionKey key, EventLoop.Timer expiry,
                                  AttributeRepository context, DefaultIoConnectFuture future) {
        try {
            if (!channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            if (expiry != null) {
                expiry.cancel();
            }
            closeQuietly(channel);
            future.setException(e);
            return;
        }
        if (expiry != null) {
            expiry.cancel();
        }
        key.interestOps(0);
        established(channel, key, context, future);
    }

    /** As MINA's Nio2Connector: the handler learns of the session before the future's listeners, and reading starts last. */
    private void established(SocketChannel channel, SelectionKey key, AttributeRepository context,
                             DefaultIoConnectFuture future) {
        LoopSession session;
        try {
            session = new LoopSession(this, handler, channel, loop, key,
                    CoreModuleProperties.NIO2_READ_BUFFER_SIZE.getRequired(properties));
        } catch (IOException e) {
            closeQuietly(channel);
            future.setException(e);
            return;
        }
        try {
            IoServiceEventListener listener = eventListener;
            if (listener != null) {
                listener.connectionEstablished(this, session.getLocalAddress(), context, session.getRemoteAddress());
            }
            if (context != null) {
                session.setAttribute(AttributeRepository.class, context);
            }
            if (isClosing()) {
                throw new ConnectException("the connector is closing");
            }
            sessions.put(session.getId(), session);
            handler.sessionCreated(session);
        } catch (Throwable e) {
            session.close(true);
            future.setException(e);
            return;
        }
        future.setSession(session);
        if (future.getSession() != session) {
            CancelFuture cancellation = future.getCancellation();
            session.close(true);
            if (cancellation != null) {
                cancellation.setCanceled();
            }
            return;
        }
        session.startReading();
    }

    /** MINA's socket properties (TCP_NODELAY, buffer sizes, keepalive, linger), as its NIO2 back end applies them. */
    private void setSocketOptions(SocketChannel channel) throws IOException {
        for (Map.Entry<Property<?>, ? extends Map.Entry<SocketOption<?>, Object>> option
                : Nio2Service.CONFIGURABLE_OPTIONS.entrySet()) {
            setOption(channel, option.getKey(), option.getValue().getKey(), option.getValue().getValue());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void setOption(SocketChannel channel, Property<?> property, SocketOption option, Object fallback)
            throws IOException {
        String configured = properties.getString(property.getName());
        Object value = fallback;
        if (configured != null && !configured.isEmpty()) {
            value = option.type() == Integer.class ? Integer.valueOf(configured) : Boolean.valueOf(configured);
        }
        if (value != null && channel.supportedOptions().contains(option)) {
            channel.setOption(option, value);
        }
    }

    private void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing an unconnected socket: {}", e.toString());
        }
        loop.wakeUpUnlessInLoop();
    }

    void sessionClosed(LoopSession session) {
        sessions.remove(session.getId());
    }

    @Override
    public Map<Long, IoSession> getManagedSessions() {
        return Collections.unmodifiableMap(sessions);
    }

    @Override
    public IoServiceEventListener getIoServiceEventListener() {
        return eventListener;
    }

    @Override
    public void setIoServiceEventListener(IoServiceEventListener listener) {
        eventListener = listener;
    }

    @Override
    protected Closeable getInnerCloseable() {
        return builder().parallel(toString(), sessions.values()).build();
    }
}
