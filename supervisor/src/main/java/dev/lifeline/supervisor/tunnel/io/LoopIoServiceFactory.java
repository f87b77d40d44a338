package dev.lifeline.supervisor.tunnel.io;

import org.apache.sshd.common.Factory;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoConnector;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.IoServiceFactoryFactory;
import org.apache.sshd.common.util.closeable.AbstractCloseable;
import org.apache.sshd.common.util.threads.CloseableExecutorService;

/**
 * MINA's I/O back end for the tunnel client: every connection (to the bastion, to a home service) on one
 * {@link EventLoop}. Connect only: a tunnel client listens on nothing here (remote forwards listen on the bastion).
 */
public final class LoopIoServiceFactory extends AbstractCloseable implements IoServiceFactory {
    /** What MINA's client is given: it makes the factory when the client starts. */
    public static final class Maker implements IoServiceFactoryFactory {
        @Override
        public IoServiceFactory create(FactoryManager manager) {
            return new LoopIoServiceFactory(manager);
        }

        @Override
        public void setExecutorServiceFactory(Factory<CloseableExecutorService> factory) {
            throw new UnsupportedOperationException("the tunnels' I/O runs on its own loop, not on an executor");
        }
    }

    private final FactoryManager manager;
    private final EventLoop loop;
    private volatile IoServiceEventListener eventListener;

    private LoopIoServiceFactory(FactoryManager manager) {
        this.manager = manager;
        this.eventListener = manager.getIoServiceEventListener();
        this.loop = new EventLoop("lifeline-io");
    }

    @Override
    public IoConnector createConnector(IoHandler handler) {
        LoopConnector connector = new LoopConnector(manager, handler, loop);
        connector.setIoServiceEventListener(eventListener);
        return connector;
    }

    EventLoop loop() {
        return loop;
    }

    @Override
    public IoAcceptor createAcceptor(IoHandler handler) {
        throw new UnsupportedOperationException("the tunnel client listens on nothing at home");
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
    protected void doCloseImmediately() {
        loop.close();
        super.doCloseImmediately();
    }
}
