package dev.lifeline.templates.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports nothing listens on right now. */
public final class FreePorts {
    private FreePorts() {
    }

    /**
     * A free port whose next port is free too, and which keeps a gap of 2 to every port in {@code avoid}: a tunnel's
     * port, as the stack reader accepts it beside the others (each tunnel also holds port + 1, its health port).
     */
    public static int forTunnel(int... avoid) {
        for (int i = 0; i < 100; i++) {
            int p = next();
            boolean clear = p < 65535 && free(p + 1);
            for (int a : avoid) {
                clear &= Math.abs(p - a) > 1;
            }
            if (clear) {
                return p;
            }
        }
        throw new IllegalStateException("no free loopback port with a free neighbour in 100 tries");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int next() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
