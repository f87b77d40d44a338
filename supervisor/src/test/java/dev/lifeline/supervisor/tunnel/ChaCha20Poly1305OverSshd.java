package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.cipher.CipherFactory;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.testing.TestBastion;

/**
 * An implementation of chacha20-poly1305@openssh.com (each has its *IT extending this) against Debian's real sshd running the rendered sshd_config, with that
 * cipher the only one either side offers: data both ways through the tunnel arrives byte for byte (SHA-256), in
 * sizes around the 32 KiB channel packet, over several rekeys (each a new cipher pair that starts at the current
 * sequence number). sshd checks every tag we send and we check every one it sends, so one wrong byte of the
 * construction ends the session.
 */
abstract class ChaCha20Poly1305OverSshd {
    private static final String CHACHA = OpenSshChaCha20Poly1305.NAME;
    private static final int[] SIZES = {1, 32_767, 32_768, 32_769, 65_536 + 7, 3_000_001, 8 * 1024 * 1024 + 13};

    /** The factory of the implementation under test; the client offers it alone. */
    abstract CipherFactory factory();

    /** The class its ciphers are. */
    abstract Class<? extends OpenSshChaCha20Poly1305> implementation();

    @Test
    void dataCrossesTheTunnelByteForByteWithOnlyThisCipherOnBothSides() throws Exception {
        try (TestBastion bastion = TestBastion.start(List.of("-o", "Ciphers=" + CHACHA, "-o", "LogLevel=DEBUG1"));
             HashingService home = new HashingService(); HealthResponder health = HealthResponder.start()) {
            SshSection ssh = new SshSection(Duration.ofSeconds(1), 3, Duration.ofSeconds(3), Duration.ofSeconds(5),
                    Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofSeconds(2), 3, List.of(CHACHA));
            TunnelPlan plan = bastion.config(bastion.sshPort(), home.port(), ssh, 0).tunnelPlan();
            TunnelTarget t = plan.tunnels().get(0);
            // the routes TunnelSupervisor gives its client: the home service, and the watchdog's health port
            SshClient client = SshClients.create(plan.settings(), plan.bastionHostKey().toPublicKey(),
                    Map.of(t.remotePort(), new SshdSocketAddress(t.localHost(), t.localPort()), t.healthPort(), health.address()),
                    Set.of(t.healthPort()), TunnelListener.NONE);
            // the configured cipher list made ChaCha20Poly1305Choice's factory; this test names the implementation
            client.setCipherFactories(List.of(factory()));
            // a new key every 4 MB, so the transfers below run across rekeys (MINA's default is every 1 GB)
            CoreModuleProperties.REKEY_BYTES_LIMIT.set(client, 4_000_000L);
            AtomicInteger keys = new AtomicInteger();
            client.addSessionListener(new SessionListener() {
                @Override
                public void sessionEvent(Session session, Event event) {
                    if (event == Event.KeyEstablished) {
                        keys.incrementAndGet();
                    }
                }
            });
            try {
                Tunnel tunnel = new Tunnel(t, plan.bastionHost(), plan.bastionPort(), Identity.load(t.key()), client, plan.settings(),
                        health.address());
                try (CountingClientSession session = tunnel.open()) {
                    assertThat(session.getNegotiatedKexParameter(KexProposalOption.C2SENC)).isEqualTo(CHACHA);
                    assertThat(session.getNegotiatedKexParameter(KexProposalOption.S2CENC)).isEqualTo(CHACHA);
                    assertThat(session.getCipherInformation(false)).as("outgoing cipher").isInstanceOf(implementation());
                    assertThat(session.getCipherInformation(true)).as("incoming cipher").isInstanceOf(implementation());

                    Random random = new Random(8439);
                    int keysBefore = keys.get();
                    for (int up : SIZES) {
                        int down = SIZES[random.nextInt(SIZES.length)];
                        exchange(bastion.tunnelPort(0), up, down, random.nextLong());
                    }
                    for (int down : SIZES) {
                        exchange(bastion.tunnelPort(0), 5, down, random.nextLong());
                    }
                    assertThat(session.getCipherInformation(false)).isInstanceOf(implementation());
                    assertThat(session.isOpen()).isTrue();
                    assertThat(keys.get() - keysBefore).as("rekeys during the transfers").isGreaterThanOrEqualTo(3);
                }
            } finally {
                client.stop();
            }
            String log = bastion.sshd().log();
            // sshd's own record (kex.c, debug1): "kex: client->server cipher: NAME MAC: <implicit> compression: none"
            assertThat(log).contains("kex: client->server cipher: " + CHACHA).contains("kex: server->client cipher: " + CHACHA)
                    .doesNotContain("Corrupted MAC").doesNotContain("Bad packet length");
        }
    }

    /**
     * Sends {@code up} random bytes to the home service through the bastion's tunnel port and asks it for {@code down}
     * bytes made from {@code seed}; checks its SHA-256 of what it received, and ours of what came back.
     */
    private static void exchange(int port, int up, int down, long seed) throws Exception {
        byte[] upload = new byte[up];
        new Random(seed).nextBytes(upload);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(up);
            out.writeInt(down);
            out.writeLong(seed);
            out.write(upload);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] theirs = new byte[32];
            in.readFully(theirs);
            assertThat(HexFormat.of().formatHex(theirs)).as("SHA-256 of the %d bytes sent, as the home side got them", up)
                    .isEqualTo(sha256Hex(upload));
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            long n = copyAll(in, got);
            assertThat(n).as("bytes back").isEqualTo(down);
            assertThat(HexFormat.of().formatHex(got.digest())).as("SHA-256 of the %d bytes back", down)
                    .isEqualTo(sha256Hex(HashingService.download(down, seed)));
        }
    }

    private static long copyAll(InputStream in, MessageDigest md) throws IOException {
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            md.update(buf, 0, n);
            total += n;
        }
        return total;
    }

    private static String sha256Hex(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /**
     * The home side: reads {up, down, seed, up bytes}, answers the SHA-256 of the bytes it got, then {@code down}
     * bytes made from the seed, and closes.
     */
    private static final class HashingService implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;

        HashingService() throws IOException {
            server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, "hashing-home-service");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        static byte[] download(int size, long seed) {
            byte[] b = new byte[size];
            new Random(~seed).nextBytes(b);
            return b;
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(30_000);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    int up = in.readInt();
                    int down = in.readInt();
                    long seed = in.readLong();
                    byte[] got = new byte[up];
                    in.readFully(got);
                    OutputStream out = s.getOutputStream();
                    out.write(MessageDigest.getInstance("SHA-256").digest(got));
                    out.write(download(down, seed));
                    out.flush();
                } catch (Exception e) {
                    // the test sees the short or wrong answer; serve the next connection
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
