package dev.lifeline.templates.testing;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** The far end of an {@code ssh -L}/{@code -D} port on 127.0.0.1, as an attacker would use it. */
public final class LocalForward {
    private LocalForward() {
    }

    /**
     * Connects to the forward (retrying while ssh sets it up, within {@code setUp}), sends {@code request}, and returns
     * what came back before EOF — empty when the server refused the channel and ssh closed or stalled the socket.
     */
    public static String talkThrough(int port, byte[] request, Duration setUp) throws Exception {
        Instant until = Instant.now().plus(setUp);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
                InputStream in = s.getInputStream();
                return new String(in.readNBytes(256), StandardCharsets.ISO_8859_1);
            } catch (java.net.ConnectException e) {
                if (Instant.now().isAfter(until)) {
                    throw e;
                }
                Thread.sleep(100);
            } catch (java.net.SocketTimeoutException e) {
                return "";
            } catch (java.net.SocketException e) {
                // ssh accepted locally, then the server refused the channel: the forward carries nothing
                return "";
            }
        }
    }
}
