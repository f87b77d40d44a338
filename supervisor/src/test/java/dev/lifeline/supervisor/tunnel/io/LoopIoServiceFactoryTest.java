package dev.lifeline.supervisor.tunnel.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.io.IoConnectFuture;
import org.apache.sshd.common.io.IoConnector;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.core.CoreModuleProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tunnels' I/O loop against real loopback sockets: MINA's IoSession contract, kept without MINA's NIO2. */
class LoopIoServiceFactoryTest {
    private static final long WAIT_SECONDS = 10;
    private final SshClient properties = SshClient.setUpDefaultClient();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private IoServiceFactory factory;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (factory != null) {
            factory.close(true).await(Duration.ofSeconds(WAIT_SECONDS));
        }
    }

    @Test
    void writesTheSocketCannotTakeWaitTheirTurnAndCompleteInOrderAsThePeerReads() throws Exception {
        Recorder handler = new Recorder();
        Pair pair = pair(handler);
        IoSession session = pair.session();
        Socket peer = pair.peer();

        int writes = 32;
        int size = 1 << 20;
        List<IoWriteFuture> futures = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            futures.add(session.writeBuffer(new ByteArrayBuffer(pattern(i, size))));
        }
        // 32 MiB is far more than loopback's socket buffers hold while the peer reads nothing.
        assertThat(futures.get(writes - 1).isDone()).isFalse();

        InputStream in = peer.getInputStream();
        for (int i = 0; i < writes; i++) {
            byte[] got = in.readNBytes(size);
            assertThat(got).as("write %d arrives whole, after the one before it", i).isEqualTo(pattern(i, size));
        }
        for (IoWriteFuture f : futures) {
            assertThat(f.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(f.isWritten()).isTrue();
        }
    }

    @Test
    void nothingIsReadWhileReadingIsSuspendedAndEverythingOnceResumedFromAnotherThread() throws Exception {
        Recorder handler = new Recorder();
        handler.suspendOnCreate = true;
        Pair pair = pair(handler);
        IoSession session = pair.session();
        Socket peer = pair.peer();

        peer.getOutputStream().write("hello".getBytes());
        assertThat(handler.received.poll(300, TimeUnit.MILLISECONDS)).as("read while suspended").isNull();

        session.resumeRead();
        assertThat(handler.received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("hello");
    }

    @Test
    void thePeersCloseEndsTheSessionAndTellsTheHandlerOnce() throws Exception {
        Recorder handler = new Recorder();
        Pair pair = pair(handler);
        IoSession session = pair.session();

        pair.peer().close();

        assertThat(handler.closed.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(session.isClosed()).isTrue();
        assertThat(handler.closedCount.get()).isEqualTo(1);
        assertThat(handler.errors).isEmpty();
        assertThat(session.getService().getManagedSessions()).isEmpty();
    }

    @Test
    void anEofFromTheBastionHalfClosesAfterTheQueuedWritesAndIsHarmlessOnceHomeHasGone() throws Exception {
        Recorder handler = new Recorder();
        Pair pair = pair(handler);
        IoSession session = pair.session();
        Socket peer = pair.peer();
        byte[] big = pattern(7, 16 << 20);
        IoWriteFuture written = session.writeBuffer(new ByteArrayBuffer(big));
        assertThat(written.isDone()).as("16 MiB queued, not yet taken by the socket").isFalse();

        session.shutdownOutputStream();

        InputStream in = peer.getInputStream();
        assertThat(in.readNBytes(big.length)).isEqualTo(big);
        assertThat(in.read()).as("EOF right after the last byte").isEqualTo(-1);
        // Half-closed, not closed: home can still answer.
        peer.getOutputStream().write("bye".getBytes());
        assertThat(handler.received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("bye");

        peer.close();
        assertThat(handler.closed.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        // The bastion's EOF and home's close cross: a late EOF must not reach the SSH session as an error.
        assertThatCode(session::shutdownOutputStream).doesNotThrowAnyException();
        assertThat(handler.errors).isEmpty();
    }

    @Test
    void connectionsThatCameAndWentLeaveNoConnectTimerBehind() throws Exception {
        // Each pending connect has a timer for the connect timeout (a minute by default); one kept after its connect
        // completed would hold its whole connection that long: at 100 visitors a second, the heap.
        ServerSocket listener = listener(200);
        for (int i = 0; i < 100; i++) {
            Recorder handler = new Recorder();
            IoSession session = connect(handler, listener);
            listener.accept().close();
            assertThat(handler.closed.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(session.isClosed()).isTrue();
        }

        assertThat(((LoopIoServiceFactory) factory).loop().timersWaiting()).isZero();
    }

    @Test
    void aRefusedConnectFailsTheFuture() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        IoConnectFuture connecting = connector(new Recorder())
                .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort), null, null);

        assertThat(connecting.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(connecting.isConnected()).isFalse();
        assertThat(connecting.getException()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aConnectNobodyAnswersFailsAfterTheConnectTimeout() throws Exception {
        // A listener whose accept queue is full drops further SYNs: the connect stays pending, as to a dead bastion.
        ServerSocket listener = listener(1);
        fillAcceptQueue(listener);
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(properties, Duration.ofMillis(300));
        long start = System.nanoTime();

        IoConnectFuture connecting = connector(new Recorder()).connect(listener.getLocalSocketAddress(), null, null);

        assertThat(connecting.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(connecting.getException()).isInstanceOf(ConnectException.class)
                .hasMessageContaining("no answer");
        assertThat(tookMillis).isBetween(250L, 5_000L);
    }

    private void fillAcceptQueue(ServerSocket listener) throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            toClose.add(s);
            try {
                s.connect(listener.getLocalSocketAddress(), 200);
            } catch (SocketTimeoutException e) {
                return;
            }
        }
        throw new IllegalStateException("the accept queue of a backlog-1 listener never filled");
    }

    private static byte[] pattern(int seed, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + (i >>> 11));
        }
        return b;
    }

    private ServerSocket listener(int backlog) throws IOException {
        ServerSocket s = new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
        toClose.add(s);
        return s;
    }

    private IoConnector connector(IoHandler handler) {
        if (factory == null) {
            factory = new LoopIoServiceFactory.Maker().create(properties);
        }
        return factory.createConnector(handler);
    }

    /** Our session and the peer's socket of one loopback connection. */
    private record Pair(IoSession session, Socket peer) {
    }

    private Pair pair(Recorder handler) throws IOException {
        ServerSocket listener = listener(50);
        IoSession session = connect(handler, listener);
        Socket peer = listener.accept();
        toClose.add(peer);
        return new Pair(session, peer);
    }

    private IoSession connect(Recorder handler, ServerSocket listener) throws IOException {
        IoConnectFuture connecting = connector(handler).connect(listener.getLocalSocketAddress(), null, null);
        assertThat(connecting.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("connected in time").isTrue();
        assertThat(connecting.getException()).isNull();
        return connecting.getSession();
    }

    /** Keeps what the session tells its handler. */
    private static final class Recorder implements IoHandler {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final List<Throwable> errors = new ArrayList<>();
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicInteger closedCount = new AtomicInteger();
        volatile boolean suspendOnCreate;

        @Override
        public void sessionCreated(IoSession session) {
            if (suspendOnCreate) {
                session.suspendRead();
            }
        }

        @Override
        public void sessionClosed(IoSession session) {
            closedCount.incrementAndGet();
            closed.countDown();
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) {
            synchronized (errors) {
                errors.add(cause);
            }
        }

        @Override
        public void messageReceived(IoSession session, Readable message) {
            byte[] b = new byte[message.available()];
            message.getRawBytes(b, 0, b.length);
            received.add(new String(b));
        }
    }
}
