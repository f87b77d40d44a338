package dev.lifeline.supervisor.tunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one tunnel session: connect (from the configured source address), check the pinned host key, log
 * in with the tunnel's key, and ask the bastion to listen on 127.0.0.1:PORT for us. Never a shell, a
 * command or SFTP: the session opens no channel of its own.
 */
final class Tunnel {
    private static final Logger LOG = LoggerFactory.getLogger(Tunnel.class);
    private final TunnelTarget config;
    private final String bastionHost;
    private final int bastionPort;
    private final KeyPair identity;
    private final SshClient client;
    private final TunnelSettings settings;
    private final SshdSocketAddress healthResponder;
    private boolean healthRefusalLogged;

    Tunnel(TunnelTarget config, String bastionHost, int bastionPort, KeyPair identity, SshClient client, TunnelSettings settings,
           SshdSocketAddress healthResponder) {
        this.config = config;
        this.healthResponder = healthResponder;
        this.bastionHost = bastionHost;
        this.bastionPort = bastionPort;
        this.identity = identity;
        this.client = client;
        this.settings = settings;
    }

    String name() {
        return config.name();
    }

    /** A session with the remote forward in place, or the reason there is none. */
    CountingClientSession open() throws TunnelException {
        ClientSession session = connect();
        try {
            session.addPublicKeyIdentity(identity);
            session.auth().verify(settings.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            session.close(true);
            FailureKind kind = FailureKind.classify(e);
            throw new TunnelException(kind, kind == FailureKind.HOST_KEY_MISMATCH
                    ? "bastion presented a host key other than the pinned one"
                    : "login as " + config.user() + " failed: " + e.getMessage(), e);
        }
        try {
            // OpenSSH's -R 127.0.0.1:PORT:HOST:PORT; a refusal (stale listener, wrong port) throws here.
            session.startRemotePortForwarding(new SshdSocketAddress("127.0.0.1", config.remotePort()),
                    new SshdSocketAddress(config.localHost(), config.localPort()));
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw new TunnelException(FailureKind.FORWARD_REFUSED, "bastion refused to listen on " + config.remote()
                    + " (a stale listener from a dead session, or a port the tunnel user may not use)", e);
        }
        forwardHealthPort(session);
        return (CountingClientSession) session;
    }

    /**
     * The second forward of the same session, to {@link HealthResponder}: the bastion's watchdog asks through it and
     * ends this session when no answer comes, which frees the tunnel's port within seconds if we die silently. A
     * bastion rendered before the watchdog refuses it; the tunnel works as before, so that is worth one log line.
     */
    private void forwardHealthPort(ClientSession session) {
        if (config.healthPort() == 0) {
            return;
        }
        try {
            session.startRemotePortForwarding(new SshdSocketAddress("127.0.0.1", config.healthPort()), healthResponder);
            healthRefusalLogged = false;
        } catch (IOException | RuntimeException e) {
            if (!healthRefusalLogged) {
                healthRefusalLogged = true;
                LOG.info("tunnel {}: the bastion refused its health port 127.0.0.1:{} (rendered before the tunnel watchdog?);"
                        + " the tunnel works, but if it dies silently the bastion keeps its port until sshd's ClientAlive gives up",
                        config.name(), config.healthPort());
            }
        }
    }

    private ClientSession connect() throws TunnelException {
        InetSocketAddress target = new InetSocketAddress(bastionHost, bastionPort);
        InetSocketAddress source = config.bind() == null ? null : new InetSocketAddress(config.bind(), 0);
        try {
            ConnectFuture future = client.connect(config.user(), target,
                    AttributeRepository.ofKeyValuePair(SshClients.TUNNEL_NAME, config.name()), source);
            if (!future.await(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                future.cancel();
                throw new TunnelException(FailureKind.NETWORK, "no answer from " + bastionHost + ":" + bastionPort
                        + " within " + settings.connectTimeout().toSeconds() + " s");
            }
            if (future.getException() != null) {
                throw future.getException();
            }
            ClientSession session = future.getSession();
            session.setAttribute(SshClients.TUNNEL_NAME, config.name());
            return session;
        } catch (TunnelException e) {
            throw e;
        } catch (Throwable e) {
            throw new TunnelException(FailureKind.classify(e), "cannot reach " + bastionHost + ":" + bastionPort
                    + (source == null ? "" : " from " + config.bind()) + ": " + e.getMessage(), e);
        }
    }
}
