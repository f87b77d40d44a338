package dev.lifeline.supervisor.tunnel;

import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;

import dev.lifeline.supervisor.tunnel.io.LoopIoServiceFactory;

/** The one MINA client of the process, set up for tunnels and nothing else. */
final class SshClients {
    /** Which tunnel a session belongs to, for the host-key verifier and the logs. */
    static final AttributeRepository.AttributeKey<String> TUNNEL_NAME = new AttributeRepository.AttributeKey<>();

    private SshClients() {
    }

    /**
     * @param routes      each bastion port we ask to listen on (tunnel ports, health ports) → where its connections go here
     * @param healthPorts the health ports among them: their connections are not a person's (see CountingClientSession)
     */
    static SshClient create(TunnelSettings settings, PublicKey pinnedHostKey, Map<Integer, SshdSocketAddress> routes,
                            Set<Integer> healthPorts, TunnelListener listener) {
        KexChoice.keepBouncyCastleOffTheProviderList();
        // I/O: every connection on one loop of lifeline's own (tunnel.io), so a read from home, its encryption and its
        // write to the bastion run on one thread, as in OpenSSH. MINA's NIO2 back end hands every socket event from its
        // epoll thread to a worker: measured against it (ci/bench.sh throughput-ab, aes128-gcm, 512 MB pulls, median
        // of 5, interleaved) 930 vs 839 MB/s (1.11x), 0.92 vs 0.98 CPU s/GB, 2.3 vs 10.4 context switches per MB.
        // Measured and not kept: NIO2 on a fixed-pool channel group whose threads poll for themselves, 0.75-0.77x of
        // NIO2's MB/s (24-47 switches per MB); sshd-netty (Netty 4.2.0) 0.68x, 2.03 vs 1.41 CPU s/GB, idle RSS +9 MB;
        // sshd-mina (MINA 2.0.27) 0.67x, 1.86 vs 1.35 s/GB. The loop reads MINA's nio2-read-buf-size at a time (32 KiB):
        // 16 KiB measured as noise under NIO2, 128 KiB worse (a read over the peer's 32 KiB packet limit is copied once
        // more); socket buffers of 4 MiB, noise.
        SshClient client = SshClient.setUpDefaultClient();
        client.setIoServiceFactoryFactory(new LoopIoServiceFactory.Maker());
        client.setKeyExchangeFactories(KexChoice.factories());
        ServerKeyVerifier verifier = new PinnedHostKey(pinnedHostKey, listener);
        client.setServerKeyVerifier(verifier);
        // Nothing from ~/.ssh: no config file, no default identities, no agent. Each session gets its one key.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setAgentFactory(null);
        client.setForwardingFilter(new OnlyConfiguredForwards(Set.copyOf(routes.values())));
        client.setForwarderFactory(service -> new PlannedForwarder(service, routes));
        // Connections arriving on our bastion ports (the only channels a tunnel carries): one copy per byte on the way
        // to the bastion instead of MINA's two, and no allocation per packet (see ForwardedChannel).
        client.setChannelFactories(List.of(new ForwardedChannel.Factory()));
        client.setCipherFactories(CipherChoice.order(settings.ciphers()));
        client.setSessionFactory(new CountingClientSession.Factory(client, healthPorts));
        // Keepalives and the liveness check are KeepaliveWatch's (any byte from the bastion is proof of life), not
        // MINA's heartbeat (which counts only unanswered keepalives); it starts once the session is logged in.
        client.addSessionListener(new KeepaliveWatch.Starter(settings));
        // The keepalives decide liveness; MINA's own 10-minute idle timeout would close a quiet, healthy tunnel.
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
        CoreModuleProperties.AUTH_TIMEOUT.set(client, settings.authTimeout());
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        // Rekey when the cipher needs it, as OpenSSH does (packet.c: 2^(2 × block size) blocks for 16-byte blocks, so
        // 64 GiB for AES-GCM/CTR; 1 GiB for 8-byte ones such as chacha20-poly1305): MINA computes that same RFC 4344
        // limit, but also rekeys every 1 GiB whatever the cipher unless this is off. Each rekey is a sntrup761x25519
        // exchange, rare enough to run interpreted under the C2-only flags: measured (ci/bench.sh throughput-ab,
        // aes128-gcm, 512 MB pulls, interleaved) every other pull cost 2.1–2.8 instead of 1.2–1.5 CPU s/GB, and the
        // median went from 400 to 541 MB/s with this off. The 1-hour time limit stays.
        CoreModuleProperties.REKEY_BYTES_LIMIT.set(client, 0L);
        client.start();
        return client;
    }
}
