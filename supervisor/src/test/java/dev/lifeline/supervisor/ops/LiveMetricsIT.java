package dev.lifeline.supervisor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.testing.LiveScrape;
import dev.lifeline.supervisor.testing.PrometheusTools;
import dev.lifeline.templates.testing.Tools;

/** {@code GET /metrics} from the real {@code lifeline run}, judged by Prometheus' own linter and for its site label. */
class LiveMetricsIT {
    /** Not a host name: proves the label comes from status.site, and a value with a space and a dot passes through. */
    private static final String SITE = "Office Berlin 2.OG";

    @TempDir
    static Path dir;
    private static String scrape;

    @BeforeAll
    static void scrapeARunningSupervisor() throws Exception {
        scrape = LiveScrape.take(dir, SITE);
    }

    @Test
    void promtoolCheckMetricsFindsNothingToSay() {
        PrometheusTools promtool = PrometheusTools.promtool();

        Tools.Result lint = promtool.run(scrape, "check", "metrics");

        // promtool prints one line per problem (a non-base unit, a counter without _total, …) and exits non-zero
        assertThat(lint.exitCode()).as("%s\nscrape:\n%s", lint, scrape).isZero();
        assertThat(lint.output()).as("%s", lint).isEmpty();
        assertThat(scrape).as("the download rate is in bytes, Prometheus' base unit")
                .contains("lifeline_backup_download_bytes_per_second{").doesNotContain("bits_per_second");
    }

    @Test
    void everySampleCarriesTheConfiguredSite() {
        List<String> samples = scrape.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();

        assertThat(samples).hasSizeGreaterThan(20)
                .allSatisfy(l -> assertThat(l).contains("site=\"" + SITE + "\""));
        assertThat(samples).as("the lifeline series and the JVM's")
                .anySatisfy(l -> assertThat(l).startsWith("lifeline_tunnel_up{"))
                .anySatisfy(l -> assertThat(l).startsWith("lifeline_probe_rtt_seconds{"))
                .anySatisfy(l -> assertThat(l).startsWith("jvm_memory_used_bytes{"));
    }
}
