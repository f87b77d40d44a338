package dev.lifeline.supervisor.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;

import dev.lifeline.supervisor.tunnel.io.LoopIoServiceFactory;

/**
 * The memory floor of any MINA-based tunnel client, for ci/bench.sh footprint: MINA SSHD's stock client, nothing of
 * lifeline's (no config, no CLI, no status page, no line watch), holding the same two remote forwards to the same sshd
 * with a keepalive a second, run with lifeline's jvm.options and lifeline.jar (MINA, Bouncy Castle) as its class path.
 * Not a product: it trusts any host key and never reconnects.
 *
 * <p>Arguments: HOST PORT, then USER KEYFILE REMOTE_PORT LOCAL_PORT for each tunnel. {@code -Dbare.cipher=NAME}: offer
 * only that cipher; {@code -Dbare.loop=true}: on lifeline's I/O loop instead of MINA's NIO2 back end. Rekeying as lifeline's (only when the cipher needs it), so throughput compares the per-byte path,
 * not MINA's extra key exchange every 1 GiB.
 */
public final class BareMinaTunnels {
    private BareMinaTunnels() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        // the stock client refuses the bastion's forwarded-tcpip channels unless told otherwise
        client.setForwardingFilter(org.apache.sshd.server.forward.AcceptAllForwardingFilter.INSTANCE);
        if (Boolean.getBoolean("bare.loop")) {
            client.setIoServiceFactoryFactory(new LoopIoServiceFactory.Maker());
        }
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(1));
        CoreModuleProperties.REKEY_BYTES_LIMIT.set(client, 0L);
        String cipher = System.getProperty("bare.cipher");
        if (cipher != null) {
            client.setCipherFactories(List.of((NamedFactory<org.apache.sshd.common.cipher.Cipher>) BuiltinCiphers.fromFactoryName(cipher)));
        }
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

    /**
     * This program with {@code jvmFlags} and {@code jar} (lifeline.jar: MINA and Bouncy Castle) as its class path, holding
     * the bastion's tunnels {@code tunnels} to {@code localPort}; {@code cipher} null for MINA's default list.
     */
    static Process start(java.nio.file.Path jar, List<String> jvmFlags, String cipher,
                         dev.lifeline.supervisor.testing.TestBastion bastion, int localPort, Path log, int... tunnels)
            throws Exception {
        return start(jar, jvmFlags, cipher, false, bastion, localPort, log, tunnels);
    }

    /** The same, on lifeline's I/O loop when {@code onLoop}. */
    static Process start(java.nio.file.Path jar, List<String> jvmFlags, String cipher, boolean onLoop,
                         dev.lifeline.supervisor.testing.TestBastion bastion, int localPort, Path log, int... tunnels)
            throws Exception {
        String classes = Path.of(BareMinaTunnels.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmFlags);
        if (cipher != null) {
            command.add("-Dbare.cipher=" + cipher);
        }
        if (onLoop) {
            command.add("-Dbare.loop=true");
        }
        command.addAll(List.of("-cp", jar + java.io.File.pathSeparator + classes, BareMinaTunnels.class.getName(), "127.0.0.1",
                String.valueOf(bastion.sshPort())));
        for (int i : tunnels) {
            command.addAll(List.of(bastion.spec().tunnels().get(i).name(), bastion.key(i).toString(),
                    String.valueOf(bastion.tunnelPort(i)), String.valueOf(localPort)));
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MALLOC_ARENA_MAX", "2"); // as /usr/bin/lifeline sets it
        return pb.start();
    }
}
