package dev.lifeline.supervisor.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * Sockets bound to a line's source address before they connect: OkHttp creates every socket through
 * {@link #createSocket()}, so this is the one seam that puts HTTP on the right line (policy routing on the source).
 */
final class BoundSocketFactory extends SocketFactory {
    private final SourceAddress source;

    BoundSocketFactory(SourceAddress source) {
        this.source = source;
    }

    @Override
    public Socket createSocket() throws IOException {
        Socket s = new Socket();
        bind(s);
        return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(address, port);
    }

    void bind(Socket s) throws IOException {
        InetAddress local;
        try {
            local = source.resolve();
        } catch (ProbeException e) {
            s.close();
            throw new IOException(e.getMessage(), e);
        }
        if (local != null) {
            try {
                s.bind(new InetSocketAddress(local, 0));
            } catch (IOException e) {
                s.close();
                throw new IOException("cannot bind to " + local.getHostAddress() + " (" + e.getMessage() + ")", e);
            }
        }
    }
}
