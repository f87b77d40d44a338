package dev.lifeline.templates.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.lifeline.templates.render.BastionFiles;
import dev.lifeline.templates.render.BastionLayout;
import dev.lifeline.templates.render.RenderedFile;
import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.testing.BastionRoot;
import dev.lifeline.templates.testing.FreePorts;
import dev.lifeline.templates.testing.TestStacks;
import dev.lifeline.templates.testing.Tools;

/**
 * Log forwarding over TLS (issue 15, part 5): Debian's rsyslogd running the rendered forwarding file sends to a second
 * rsyslogd that listens with TLS on 127.0.0.1 (rsyslog-gnutls), with a certificate from a CA the test makes and puts
 * where the bastion's system CAs are.
 */
class LogForwardingIT {

    @Test
    void authAndDaemonLinesArriveOverTlsAndOthersStayHome() throws Exception {
        try (BastionRoot root = BastionRoot.create()) {
            Path received = run(root, "localhost");

            String text = Files.readString(received);
            assertThat(text).contains("lifeline-probe-auth").contains("lifeline-probe-daemon").doesNotContain("lifeline-probe-local0");
        }
    }

    @Test
    void aReceiverWhoseCertificateNamesAnotherHostGetsNothing() throws Exception {
        try (BastionRoot root = BastionRoot.create()) {
            // the certificate says localhost; the bastion is told 127.0.0.1: x509/name refuses the session
            Path received = run(root, "127.0.0.1");

            assertThat(received).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                    p -> assertThat(Files.readString(p)).doesNotContain("lifeline-probe"));
        }
    }

    /** Starts receiver and sender, logs three lines, returns the receiver's file once the daemon line is in or time is up. */
    private static Path run(BastionRoot root, String targetHost) throws Exception {
        int port = FreePorts.next();
        Path d = root.path("/logtest");
        Files.createDirectories(d.resolve("r"));
        Files.createDirectories(d.resolve("s"));
        makeCertificates(d);
        // the bastion trusts the system's CA bundle: here, that is the test's CA
        Files.createDirectories(root.path("/etc/ssl/certs"));
        Files.copy(d.resolve("ca.pem"), root.path("/etc/ssl/certs/ca-certificates.crt"));

        BastionSpec spec = BastionSpecReader.read(TestStacks.validAws().set("logTarget", "tls://" + targetHost + ":" + port));
        String forward = BastionFiles.render(spec, BastionLayout.onLoopback(root.root(), FreePorts.next(), FreePorts.next(), "http://127.0.0.1:9"))
                .stream().filter(f -> f.path().startsWith("/etc/rsyslog.d/")).map(RenderedFile::content).findFirst()
                .orElseThrow(() -> new AssertionError("no rendered rsyslog file"));
        assertThat(forward).contains("StreamDriverAuthMode=\"x509/name\"").doesNotContain("*.*");
        Path forwardFile = Files.writeString(d.resolve("forward.conf"), forward);

        Path received = d.resolve("received.log");
        Path receiverConf = Files.writeString(d.resolve("r.conf"), """
                global(workDirectory="%1$s/r" DefaultNetstreamDriver="gtls" DefaultNetstreamDriverCAFile="%1$s/ca.pem"
                       DefaultNetstreamDriverCertFile="%1$s/srv.pem" DefaultNetstreamDriverKeyFile="%1$s/srv.key")
                module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")
                input(type="imtcp" port="%2$d" address="127.0.0.1")
                *.* action(type="omfile" file="%3$s")
                """.formatted(d, port, received));
        Path socket = d.resolve("log");
        Path senderConf = Files.writeString(d.resolve("s.conf"), """
                global(workDirectory="%1$s/s")
                module(load="imuxsock" SysSock.Use="off")
                input(type="imuxsock" Socket="%2$s")
                include(file="%3$s")
                """.formatted(d, socket, forwardFile));
        Tools.Result check = Tools.run(30, List.of(Tools.which("rsyslogd"), "-N1", "-f", senderConf.toString()));
        assertThat(check.exitCode()).as("%s", check).isZero();

        Process receiver = rsyslogd(receiverConf, d.resolve("r.pid"), d.resolve("r.out"));
        Process sender = null;
        try {
            awaitListening(port, receiver, d.resolve("r.out"));
            sender = rsyslogd(senderConf, d.resolve("s.pid"), d.resolve("s.out"));
            Instant until = Instant.now().plus(Duration.ofSeconds(10));
            while (!Files.exists(socket)) {
                assertThat(Instant.now()).as("the sender's socket appears").isBefore(until);
                Thread.sleep(50);
            }
            for (String[] line : List.of(new String[] {"auth.notice", "lifeline-probe-auth"}, new String[] {"local0.info", "lifeline-probe-local0"},
                    new String[] {"daemon.info", "lifeline-probe-daemon"})) {
                Tools.Result r = Tools.run(10, List.of("logger", "-u", socket.toString(), "-p", line[0], line[1]));
                assertThat(r.exitCode()).as("%s", r).isZero();
            }
            // the daemon line is the last: once it is in, the others had their chance; else wait out the bound
            Instant bound = Instant.now().plus(Duration.ofSeconds(targetHost.equals("localhost") ? 30 : 8));
            while (Instant.now().isBefore(bound)
                    && !(Files.exists(received) && Files.readString(received).contains("lifeline-probe-daemon"))) {
                Thread.sleep(100);
            }
            return received;
        } finally {
            stop(sender);
            stop(receiver);
        }
    }

    private static void makeCertificates(Path d) {
        for (String cmd : List.of(
                "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=lifeline-test-ca"
                        + " -keyout ca.key -out ca.pem -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign",
                "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost -keyout srv.key -out srv.csr",
                "printf 'subjectAltName=DNS:localhost\\nextendedKeyUsage=serverAuth\\n' > srv.ext",
                "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out srv.pem -extfile srv.ext")) {
            Tools.Result r = Tools.run(30, List.of("/bin/sh", "-c", "cd " + d + " && " + cmd));
            assertThat(r.exitCode()).as("%s: %s", cmd, r).isZero();
        }
    }

    private static Process rsyslogd(Path conf, Path pid, Path out) throws Exception {
        return new ProcessBuilder(Tools.which("rsyslogd"), "-n", "-f", conf.toString(), "-i", pid.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static void awaitListening(int port, Process receiver, Path out) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(15));
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                assertThat(receiver.isAlive()).as("receiver rsyslogd: %s", Files.exists(out) ? Files.readString(out) : "").isTrue();
                assertThat(Instant.now()).as("the receiver listens on %d", port).isBefore(until);
                Thread.sleep(50);
            }
        }
    }

    /** SIGTERM by PID, then SIGKILL if it lingers. */
    private static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
