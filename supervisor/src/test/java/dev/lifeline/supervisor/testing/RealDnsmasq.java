package dev.lifeline.supervisor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.lifeline.templates.testing.Daemons;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.Tools;

/**
 * Debian's real dnsmasq as a resolver on 127.0.0.1 at a free port, answering only what the test gives it
 * ({@code --address=/example.test/198.18.0.10}, {@code --txt-record=…}); every other name is REFUSED because it has
 * no upstream. It logs each query with the asking address, which is how tests see a probe's source address.
 * A missing dnsmasq fails the test (ci/test.sh installs dnsmasq-base).
 */
public final class RealDnsmasq implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Path conf;
    private final int port;

    private RealDnsmasq(Process process, Path log, Path conf, int port) {
        this.process = process;
        this.log = log;
        this.conf = conf;
        this.port = port;
    }

    /** {@code records}: dnsmasq options such as {@code --address=/example.test/198.18.0.10}; quote TXT text. */
    public static RealDnsmasq start(List<String> records) {
        Tools.require("/usr/sbin/dnsmasq");
        int port = FreePorts.next();
        try {
            Path log = Files.createTempFile("lifeline-dnsmasq", ".log");
            // the records go through a config file: only there does dnsmasq read "quoted text, with commas"
            // as one TXT string (on the command line the quotes become part of the answer)
            Path conf = Files.createTempFile("lifeline-dnsmasq", ".conf");
            Files.write(conf, records.stream().map(r -> r.startsWith("--") ? r.substring(2) : r).toList());
            List<String> command = new ArrayList<>(List.of("/usr/sbin/dnsmasq", "--keep-in-foreground",
                    "--conf-file=" + conf, "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces",
                    "--no-resolv", "--no-hosts", "--no-poll", "--pid-file=", "--user=root", "--cache-size=0",
                    "--log-queries", "--log-facility=-"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            RealDnsmasq dnsmasq = new RealDnsmasq(p, log, conf, port);
            Daemons.awaitListening(p, port, Duration.ofSeconds(10), log);
            return dnsmasq;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Its log: one "query[A] NAME from ADDRESS" line per question. */
    public String log() {
        return Daemons.read(log);
    }

    @Override
    public void close() {
        Daemons.stop(process);
        try {
            Files.deleteIfExists(conf);
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "RealDnsmasq[127.0.0.1:" + port + (process.isAlive() ? ", running pid " + process.pid() : ", stopped") + "]";
    }
}
