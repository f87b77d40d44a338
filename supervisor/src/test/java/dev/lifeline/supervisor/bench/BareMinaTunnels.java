package dev.lifeline.supervisor.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The memory floor of any MINA-based tunnel client, for ci/bench.sh footprint: MINA SSHD's stock client, nothing of
 * lifeline's (no config, no CLI, no status page, no line watch), holding the same two remote forwards to the same sshd
 * with a keepalive a second, run with lifeline's jvm.options and lifeline.jar (MINA, Bouncy Castle) as its class path.
 * Not a product: it trusts any host key and never reconnects.
 *
 * <p>Arguments: HOST PORT, then USER KEYFILE REMOTE_PORT LOCAL_PORT for each tunnel.
 */
public final class BareMinaTunnels {
    private BareMinaTunnels() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(1));
        client.start();
        List<ClientSession> sessions = new ArrayList<>();
        for (int i = 2; i + 3 < args.length + 1; i += 4) {
            ClientSession session = client.connect(args[i], host, port).verify(Duration.ofSeconds(30)).getSession();
            session.setKeyIdentityProvider(new FileKeyPairProvider(Path.of(args[i + 1])));
            session.auth().verify(Duration.ofSeconds(30));
            session.startRemotePortForwarding(new SshdSocketAddress("127.0.0.1", Integer.parseInt(args[i + 2])),
                    new SshdSocketAddress("127.0.0.1", Integer.parseInt(args[i + 3])));
            sessions.add(session);
        }
        System.out.println("bare MINA: " + sessions.size() + " tunnels up");
        Thread.sleep(Long.MAX_VALUE);
    }
}
