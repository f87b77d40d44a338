package dev.lifeline.templates.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
        // the address the tests dial stands in for the public IP the metadata service gives on the VM
        Tools.Result tls = Tools.run(30, List.of("/bin/bash", root.path(BastionFiles.TLS_SETUP).toString()),
                Map.of("LIFELINE_PUBLIC_IP", "127.0.0.1"), null);
        if (tls.exitCode() != 0) {
            throw new IllegalStateException("lifeline-tls-setup failed: " + tls);
        }
        Path log = root.path("/var/log/nginx/stderr.log");
        try {
            Process p = new ProcessBuilder(List.of(Tools.which("nginx"), "-e", "stderr", "-p", root.root(),
                    "-c", root.path(BastionFiles.NGINX_CONF).toString(), "-g", "daemon off;"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Daemons.awaitListening(p, httpsPort, Duration.ofSeconds(10), log);
            return new RealNginx(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String log() {
        return Daemons.read(log);
    }

    /** SIGTERM to the master by its PID: nginx's fast shutdown, workers included. */
    @Override
    public void close() {
        Daemons.stop(process);
    }
}
