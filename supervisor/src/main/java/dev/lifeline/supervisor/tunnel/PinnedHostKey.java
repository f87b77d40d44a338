package dev.lifeline.supervisor.tunnel;

import java.net.SocketAddress;
import java.security.PublicKey;

import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts exactly the bastion's pinned host key — the one made at home and installed by cloud-init.
 * No trust on first use, no known_hosts learning: a different key ends the connection before our key
 * (or anything else) is sent.
 */
final class PinnedHostKey implements ServerKeyVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(PinnedHostKey.class);

    private final PublicKey pinned;
    private final TunnelListener listener;

    PinnedHostKey(PublicKey pinned, TunnelListener listener) {
        this.pinned = pinned;
        this.listener = listener;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        if (KeyUtils.compareKeys(pinned, serverKey)) {
            return true;
        }
        String tunnel = String.valueOf(session.getAttribute(SshClients.TUNNEL_NAME));
        String expected = KeyUtils.getFingerPrint(pinned);
        String presented = KeyUtils.getFingerPrint(serverKey);
        LOG.error("tunnel {}: bastion {} presented host key {} but {} is pinned; refusing to log in"
                + " (a rebuilt bastion with a new key needs a new bastion.hostKey; anything else may be an attack)",
                tunnel, remoteAddress, presented, expected);
        listener.hostKeyMismatch(tunnel, expected, presented);
        return false;
    }
}
