package dev.lifeline.supervisor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.lifeline.templates.testing.Tools;

/**
 * A LossyLink comes up after a run that was killed before its close: that run's end of the line (the fixed address and
 * route) and its namespace, with a process still in it, are cleared first instead of failing with "File exists".
 */
class LossyLinkIT {
    private static final String STALE_END = "llh99999";
    private static final String STALE_NAMESPACE = "lifeline-lossy-r99999";

    @Test
    void whatAKilledEarlierRunLeftIsClearedFirst() throws Exception {
        LossyLink.requireRoot();
        Process leftover = null;
        try {
            // what a killed run leaves: its router namespace with a process in it, holding the pair whose end here has the
            // line's address and route
            must("ip", "netns", "add", STALE_NAMESPACE);
            must("ip", "link", "add", STALE_END, "type", "veth", "peer", "name", "llr99999", "netns", STALE_NAMESPACE);
            must("ip", "addr", "add", LossyLink.HOME_ADDRESS + "/30", "dev", STALE_END);
            must("ip", "link", "set", STALE_END, "up");
            must("ip", "route", "add", "198.18.77.4/30", "via", "198.18.77.2", "dev", STALE_END);
            leftover = new ProcessBuilder("ip", "netns", "exec", STALE_NAMESPACE, "sleep", "600").start();
            long pid = leftover.pid();
            dev.lifeline.templates.testing.Await.until("the leftover process in its namespace", java.time.Duration.ofSeconds(10),
                    () -> Tools.run(10, List.of("ip", "netns", "pids", STALE_NAMESPACE)).output().contains(String.valueOf(pid)));

            try (LossyLink link = LossyLink.create()) {
                assertThat(Tools.run(10, List.of("ip", "-o", "link", "show")).output()).doesNotContain(STALE_END);
                assertThat(Tools.run(10, List.of("ip", "netns", "list")).output()).doesNotContain(STALE_NAMESPACE);
                assertThat(leftover.waitFor(10, TimeUnit.SECONDS)).as("the leftover process stopped").isTrue();
                String route = Tools.run(10, List.of("ip", "route", "get", LossyLink.BASTION_ADDRESS)).output();
                assertThat(route).as("the bastion reached through this link's own end").contains("dev llh")
                        .doesNotContain(STALE_END);
                assertThat(link.tryInside(10, "ip", "-o", "addr", "show").output()).contains(LossyLink.BASTION_ADDRESS);
            }
        } finally {
            if (leftover != null) {
                leftover.destroyForcibly();
            }
            Tools.run(10, List.of("ip", "link", "del", STALE_END));
            Tools.run(10, List.of("ip", "netns", "del", STALE_NAMESPACE));
        }
    }

    private static void must(String... command) {
        Tools.Result r = Tools.run(30, List.of(command));
        assertThat(r.exitCode()).as("%s: %s", String.join(" ", command), r).isZero();
    }
}
