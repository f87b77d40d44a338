package dev.lifeline.supervisor.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Map;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AgentForwardingFilter;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.forward.X11ForwardingFilter;

/**
 * A bastion in this process for the demo (MINA SSHD), holding the hardened sshd's rules for tunnel users: key
 * login only, each user may listen on exactly 127.0.0.1:its own port and nothing else — no shell, no command, no
 * SFTP (no factories are installed, so such requests are refused), no local or dynamic forwarding, no agent, no X11.
 * Started and stopped by the demo's {@code local} cloud provider, on the same port each time.
 */
public final class EmbeddedBastion implements AutoCloseable {
    private final int port;
    private final KeyPair hostKey;
    private final Map<String, TunnelUser> users;
    private SshServer server;

    /** A tunnel user: its public key and the one port it may hold. */
    public record TunnelUser(PublicKey key, int port) {
    }

    public EmbeddedBastion(int port, Map<String, TunnelUser> users) {
        this.port = port;
        this.users = Map.copyOf(users);
        try {
            this.hostKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the demo bastion's host key: " + e.getMessage(), e);
        }
    }

    /** The host key as the supervisor pins it: {@code ssh-ed25519 AAAA…}. */
    public String hostKeyLine() {
        return PublicKeyEntry.toString(hostKey.getPublic());
    }

    public int port() {
        return port;
    }

    public synchronized boolean running() {
        return server != null && server.isStarted();
    }

    public synchronized void start() {
        if (running()) {
            return;
        }
        SshServer s = SshServer.setUpDefaultServer();
        s.setHost("127.0.0.1");
        s.setPort(port);
        s.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        s.setPasswordAuthenticator(null);
        s.setKeyboardInteractiveAuthenticator(null);
        s.setPublickeyAuthenticator((user, key, session) -> {
            TunnelUser u = users.get(user);
            return u != null && KeyUtils.compareKeys(u.key(), key);
        });
        s.setForwardingFilter(ForwardingFilter.asForwardingFilter(AgentForwardingFilter.of(false), X11ForwardingFilter.of(false),
                new OwnPortOnly()));
        try {
            s.start();
        } catch (IOException e) {
            throw new UncheckedIOException("demo bastion cannot listen on 127.0.0.1:" + port, e);
        }
        server = s;
    }

    /** Like powering the VM off: every session and listener goes at once. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** permitlisten="127.0.0.1:PORT" and PermitOpen none, as the hardened sshd has them. */
    private final class OwnPortOnly implements TcpForwardingFilter {
        @Override
        public boolean canListen(SshdSocketAddress address, org.apache.sshd.common.session.Session session) {
            TunnelUser u = users.get(session.getUsername());
            return u != null && "127.0.0.1".equals(address.getHostName()) && address.getPort() == u.port();
        }

        @Override
        public boolean canConnect(Type type, SshdSocketAddress address, org.apache.sshd.common.session.Session session) {
            return false;
        }
    }
}
