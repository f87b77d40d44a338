package dev.lifeline.templates.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.lifeline.templates.render.BastionFiles;

/** Debian's real nginx, in the foreground, from the rendered nginx.conf under a {@link BastionRoot}. */
public final class RealNginx implements AutoCloseable {
    private final Process process;
    private final Path log;

    private RealNginx(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Makes the certificate with the rendered setup script, then starts nginx and waits for {@code httpsPort}. */
    public static RealNginx start(BastionRoot root, int httpsPort) {
        RealNginxDirs.prepare(root);
        Tools.Result tls = Tools.run(30, List.of("/bin/bash", root.path(BastionFiles.TLS_SETUP).toString()));
        if (tls.exitCode() != 0) {
            throw new IllegalStateException("lifeline-tls-setup failed: " + tls);
        }
        Path log = root.path("/var/log/nginx/stderr.log");
        try {
            Process p = new ProcessBuilder(List.of(Tools.which("nginx"), "-e", "stderr", "-p", root.root(),
                    "-c", root.path(BastionFiles.NGINX_CONF).toString(), "-g", "daemon off;"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            RealNginx nginx = new RealNginx(p, log);
            nginx.awaitListening(httpsPort, Duration.ofSeconds(10));
            return nginx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening(int port, Duration bound) {
        Instant until = Instant.now().plus(bound);
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        close();
        throw new IllegalStateException("nginx did not listen on 127.0.0.1:" + port + " within " + bound + ":\n" + log());
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        // SIGTERM to the master by its PID: nginx's fast shutdown, workers included.
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
