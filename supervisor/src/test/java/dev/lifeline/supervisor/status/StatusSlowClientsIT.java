package dev.lifeline.supervisor.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.supervisor.testing.TestConfigs;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.TestKeys;

/**
 * A slow-loris client against the real supervisor's status page (issue 15, part 7): 200 connections that each send
 * half a request and then nothing. The JDK's server reads headers on a handler thread, so each of them holds one.
 */
class StatusSlowClientsIT {
    private static final int HALF_OPEN = 200;

    @TempDir
    Path dir;

    @Test
    void twoHundredHalfOpenConnectionsLeaveThePageAnsweringAndAreClosedByTheServer() throws Exception {
        int port = FreePorts.next();
        int bastionPort = FreePorts.next();
        Path key = TestConfigs.privateKey(dir.resolve("tunnel1"), "t1");
        Path config = Files.writeString(dir.resolve("lifeline.yaml"), """
                bastion:
                  provider: local
                  host: 127.0.0.1
                  port: %d
                  hostKey: "[127.0.0.1]:%d %s"
                tunnels:
                  - name: primary
                    user: tunnel1
                    key: %s
                    remote: 127.0.0.1:29000
                    local: 127.0.0.1:8080
                status:
                  listen: 127.0.0.1:%d
                stateDir: %s
                """.formatted(bastionPort, bastionPort, TestKeys.ed25519("bastion").publicLine().replace(" bastion", ""), key, port,
                dir.resolve("state")));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build();
        List<Socket> slow = new ArrayList<>();
        try (SupervisorProcess supervisor = SupervisorProcess.start(config, dir)) {
            Await.until("the status page answers (log: " + dir.resolve("supervisor.log") + ")", Duration.ofSeconds(60),
                    () -> status(client, metrics) == 200);

            for (int i = 0; i < HALF_OPEN; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                OutputStream out = s.getOutputStream();
                out.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }

            // while all of them are held open, the page still answers, at once
            long t0 = System.nanoTime();
            assertThat(status(client, metrics)).as("supervisor: %s", supervisor.log()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));

            // and the server ends every one of them: a request must arrive whole within a few seconds
            for (Socket s : slow) {
                s.setSoTimeout(30_000);
            }
            Await.until("the server closed all " + HALF_OPEN + " half-open connections", Duration.ofSeconds(60), () -> slow.stream().allMatch(StatusSlowClientsIT::closedByServer));
            assertThat(status(client, metrics)).isEqualTo(200);
            assertThat(supervisor.process().isAlive()).isTrue();
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    private static int status(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** True once the server has closed it (EOF, after whatever it sent, or reset); blocks up to the socket's timeout. */
    private static boolean closedByServer(Socket s) {
        try {
            byte[] buf = new byte[4096];
            for (int i = 0; i < 16; i++) {
                if (s.getInputStream().read(buf) == -1) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
