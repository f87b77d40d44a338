package dev.lifeline.supervisor.tunnel.io;

import java.io.IOException;
import java.io.WriteAbortedException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.future.DefaultCloseFuture;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoService;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.io.nio2.Nio2DefaultIoWriteFuture;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.closeable.AbstractCloseable;

/**
 * One TCP connection (to the bastion, or to a home service) on an {@link EventLoop}. Reads happen in the loop and go to
 * the handler there; a write is tried at once on the caller's thread (non-blocking) and only what the socket did not
 * take waits for the loop. So a read from home, its encryption and its write to the bastion run on one thread without
 * a hand-off, where MINA's NIO2 back end passes every socket event from its epoll thread to a worker.
 *
 * <p>The contract is MINA's, as its Nio2Session keeps it: the buffer given to the handler is used again for the next
 * read; writes complete in order; EOF from the peer or a failed write closes the session; a graceful close waits for the
 * queued writes.
 */
final class LoopSession extends AbstractCloseable implements IoSession, EventLoop.Ready {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final LoopConnector service;
    private final IoHandler handler;
    private final SocketChannel channel;
    private final EventLoop loop;
    private final SelectionKey key;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private final Map<Object, Object> attributes = new ConcurrentHashMap<>();
    private final ByteBuffer readBuffer;
    private final Readable readable;
    private volatile boolean readSuspended;
    // The fields below are guarded by writeLock.
    private final Object writeLock = new Object();
    private final Deque<Nio2DefaultIoWriteFuture> writes = new ArrayDeque<>();
    private boolean shutdownOutputWhenWritten;
    private DefaultCloseFuture writesDone;

    /** Called in the loop, with the channel connected and its key (interest none yet) attached to nothing. */
    LoopSession(LoopConnector service, IoHandler handler, SocketChannel channel, EventLoop loop, SelectionKey key,
                int readBufferSize) throws IOException {
        this.service = service;
        this.handler = handler;
        this.channel = channel;
        this.loop = loop;
        this.key = key;
        this.localAddress = channel.getLocalAddress();
        this.remoteAddress = channel.getRemoteAddress();
        this.readBuffer = ByteBuffer.allocate(readBufferSize);
        this.readable = Readable.readable(readBuffer);
        key.attach(this);
    }

    /** After the handler knows the session: from now on the loop reads (unless the handler suspended reading). */
    void startReading() {
        updateInterest();
    }

    @Override
    public void ready(SelectionKey k) {
        int ready = k.readyOps();
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && !readSuspended && k.isValid()) {
            read();
        }
    }

    private void read() {
        int n;
        try {
            readBuffer.clear();
            n = channel.read(readBuffer);
        } catch (IOException e) {
            exceptionCaught(e);
            return;
        }
        if (n < 0) {
            close(true);
            return;
        }
        if (n == 0) {
            return;
        }
        readBuffer.flip();
        try {
            handler.messageReceived(this, readable);
        } catch (Throwable e) {
            exceptionCaught(e);
        }
    }

    @Override
    public IoWriteFuture writeBuffer(Buffer buffer) {
        ByteBuffer bytes = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
        Nio2DefaultIoWriteFuture future = new Nio2DefaultIoWriteFuture(remoteAddress, null, bytes);
        if (isClosing()) {
            ClosedChannelException closed = new ClosedChannelException();
            future.setException(closed);
            exceptionCaught(closed);
            return future;
        }
        boolean written = false;
        IOException failure = null;
        synchronized (writeLock) {
            if (writes.isEmpty()) {
                try {
                    channel.write(bytes);
                    written = !bytes.hasRemaining();
                } catch (IOException e) {
                    failure = e;
                }
            }
            if (!written && failure == null) {
                writes.add(future);
                updateInterestLocked();
            }
        }
        if (failure != null) {
            future.setException(failure);
            exceptionCaught(failure);
        } else if (written) {
            future.setWritten();
        }
        return future;
    }

    /** In the loop, when the socket takes more: what waited goes out, in order. */
    private void flush() {
        List<Nio2DefaultIoWriteFuture> written = new ArrayList<>();
        IOException failure = null;
        DefaultCloseFuture drained = null;
        synchronized (writeLock) {
            while (!writes.isEmpty()) {
                Nio2DefaultIoWriteFuture head = writes.peek();
                try {
                    channel.write(head.getBuffer());
                } catch (IOException e) {
                    failure = e;
                    break;
                }
                if (head.getBuffer().hasRemaining()) {
                    break;
                }
                written.add(writes.poll());
            }
            if (failure == null && writes.isEmpty()) {
                failure = shutdownOutputIfAsked();
                drained = writesDone;
                writesDone = null;
            }
            updateInterestLocked();
        }
        written.forEach(Nio2DefaultIoWriteFuture::setWritten);
        if (failure != null) {
            exceptionCaught(failure);
        }
        if (drained != null) {
            drained.setClosed();
        }
    }

    /**
     * Under writeLock. A socket home already closed needs no half-close: the bastion's EOF and home's close cross on
     * a forwarded connection (MINA's NIO2 session ignores that case too).
     */
    private IOException shutdownOutputIfAsked() {
        if (!shutdownOutputWhenWritten) {
            return null;
        }
        shutdownOutputWhenWritten = false;
        try {
            channel.shutdownOutput();
            return null;
        } catch (ClosedChannelException e) {
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /** The peer's EOF on the SSH channel: a half-close once what was written before it is out. */
    @Override
    public void shutdownOutputStream() {
        IOException failure;
        synchronized (writeLock) {
            shutdownOutputWhenWritten = true;
            failure = writes.isEmpty() ? shutdownOutputIfAsked() : null;
        }
        if (failure != null) {
            exceptionCaught(failure);
        }
    }

    @Override
    public void suspendRead() {
        readSuspended = true;
        updateInterest();
    }

    @Override
    public void resumeRead() {
        if (readSuspended) {
            readSuspended = false;
            updateInterest();
        }
    }

    private void updateInterest() {
        synchronized (writeLock) {
            updateInterestLocked();
        }
    }

    /** Under writeLock, so that two threads cannot leave the key with the older of their two views. */
    private void updateInterestLocked() {
        int ops = (readSuspended ? 0 : SelectionKey.OP_READ) | (writes.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        try {
            if (key.interestOps() != ops) {
                key.interestOps(ops);
                loop.wakeUpUnlessInLoop();
            }
        } catch (CancelledKeyException e) {
            // closed: nothing more to wait for
        }
    }

    private void exceptionCaught(Throwable e) {
        if (closeFuture.isClosed()) {
            return;
        }
        if (isOpen() && channel.isOpen()) {
            try {
                handler.exceptionCaught(this, e);
            } catch (Throwable t) {
                log.debug("exceptionCaught({}) the handler threw {}, closing", this, t.toString());
            }
        }
        close(true);
    }

    @Override
    protected CloseFuture doCloseGracefully() {
        synchronized (writeLock) {
            if (writes.isEmpty()) {
                return null;
            }
            writesDone = new DefaultCloseFuture(toString(), null);
            return writesDone;
        }
    }

    @Override
    protected void doCloseImmediately() {
        List<Nio2DefaultIoWriteFuture> aborted;
        synchronized (writeLock) {
            aborted = new ArrayList<>(writes);
            writes.clear();
        }
        aborted.forEach(f -> f.setException(new WriteAbortedException("the session closed before this write", null)));
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("doCloseImmediately({}) closing the socket: {}", this, e.toString());
        }
        // The socket's descriptor is released when the selector drops its key, in the loop's next round.
        loop.wakeUpUnlessInLoop();
        service.sessionClosed(this);
        super.doCloseImmediately();
        try {
            handler.sessionClosed(this);
        } catch (Throwable e) {
            log.debug("doCloseImmediately({}) sessionClosed threw {}", this, e.toString());
        }
        attributes.clear();
    }

    @Override
    public long getId() {
        return id;
    }

    @Override
    public SocketAddress getAcceptanceAddress() {
        return null;
    }

    @Override
    public SocketAddress getLocalAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress getRemoteAddress() {
        return remoteAddress;
    }

    @Override
    public Object getAttribute(Object k) {
        return attributes.get(k);
    }

    @Override
    public Object setAttribute(Object k, Object value) {
        return attributes.put(k, value);
    }

    @Override
    public Object setAttributeIfAbsent(Object k, Object value) {
        return attributes.putIfAbsent(k, value);
    }

    @Override
    public Object removeAttribute(Object k) {
        return attributes.remove(k);
    }

    @Override
    public IoService getService() {
        return service;
    }

    @Override
    public String toString() {
        return "LoopSession[" + id + " " + localAddress + " -> " + remoteAddress + "]";
    }
}
