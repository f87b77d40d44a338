package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.testing.Http;
import dev.lifeline.supervisor.testing.SupervisorProcess;
import dev.lifeline.supervisor.testing.TestBastion;
import dev.lifeline.templates.testing.Await;
import dev.lifeline.templates.testing.HomeService;
import dev.lifeline.templates.testing.Tools;

/** {@code systemctl stop lifeline} sends SIGTERM: the bastion must free both ports at once, not after keepalives. */
class CleanShutdownIT {
    @TempDir
    Path dir;

    @Test
    void sigtermClosesEverySessionSoTheBastionFreesThePortsAtOnce() throws Exception {
        try (TestBastion bastion = TestBastion.start(List.of());
             HomeService home = HomeService.start("home");
             SupervisorProcess supervisor = SupervisorProcess.start(
                     bastion.config(bastion.sshPort(), home.port(), TestBastion.fastSettings(), 0, 1), dir)) {
            Await.until("both tunnels carry HTTP; supervisor log:\n" + supervisor.log(), Duration.ofSeconds(20),
                    () -> "home".equals(Http.get(bastion.tunnelPort(0))) && "home".equals(Http.get(bastion.tunnelPort(1))));

            Instant term = Instant.now();
            supervisor.process().destroy(); // SIGTERM
            Duration freed = Await.until("both listeners gone", Duration.ofSeconds(5),
                    () -> !listening(bastion.tunnelPort(0)) && !listening(bastion.tunnelPort(1)));
            boolean exited = supervisor.process().waitFor(10, TimeUnit.SECONDS);

            System.out.printf("SIGTERM: bastion ports freed after %d ms%n", Duration.between(term, Instant.now()).toMillis());
            assertThat(freed).as("ports freed after SIGTERM").isLessThan(Duration.ofSeconds(2));
            assertThat(exited).as("the supervisor exits").isTrue();
            assertThat(supervisor.log()).contains("stopping: closing 2 tunnel session(s)");
        }
    }

    private static boolean listening(int port) {
        Tools.Result r = Tools.run(5, List.of(Tools.which("ss"), "-Hltn", "sport = :" + port));
        return !r.output().isBlank();
    }
}
