package dev.lifeline.supervisor.tunnel;

import java.security.PublicKey;
import java.time.Duration;
import java.util.Set;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;

/** The one MINA client of the process, set up for tunnels and nothing else. */
final class SshClients {
    /** Which tunnel a session belongs to, for the host-key verifier and the logs. */
    static final AttributeRepository.AttributeKey<String> TUNNEL_NAME = new AttributeRepository.AttributeKey<>();

    private SshClients() {
    }

    static SshClient create(TunnelSettings settings, PublicKey pinnedHostKey, Set<SshdSocketAddress> homeServices,
                            TunnelListener listener) {
        KexChoice.keepBouncyCastleOffTheProviderList();
        SshClient client = SshClient.setUpDefaultClient();
        client.setKeyExchangeFactories(KexChoice.factories());
        ServerKeyVerifier verifier = new PinnedHostKey(pinnedHostKey, listener);
        client.setServerKeyVerifier(verifier);
        // Nothing from ~/.ssh: no config file, no default identities, no agent. Each session gets its one key.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setAgentFactory(null);
        client.setForwardingFilter(new OnlyConfiguredForwards(homeServices));
        client.setCipherFactories(CipherChoice.order(settings.ciphers()));
        client.setSessionFactory(new CountingClientSession.Factory(client));
        // Keepalives and the liveness check are KeepaliveWatch's (any byte from the bastion is proof of life), not
        // MINA's heartbeat (which counts only unanswered keepalives); it starts once the session is logged in.
        client.addSessionListener(new KeepaliveWatch.Starter(settings, client));
        // The keepalives decide liveness; MINA's own 10-minute idle timeout would close a quiet, healthy tunnel.
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
        CoreModuleProperties.AUTH_TIMEOUT.set(client, settings.authTimeout());
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.start();
        return client;
    }
}
