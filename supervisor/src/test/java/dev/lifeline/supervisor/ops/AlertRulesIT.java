package dev.lifeline.supervisor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.lifeline.supervisor.testing.LiveScrape;
import dev.lifeline.supervisor.testing.OpsFiles;
import dev.lifeline.supervisor.testing.PrometheusTools;
import dev.lifeline.templates.testing.Tools;

/**
 * ops/prometheus: the alert rules as Prometheus reads them ({@code promtool check rules}), their unit tests on
 * synthetic series ({@code promtool test rules}), the metrics they name against a live scrape, and the example
 * Prometheus and Alertmanager configs checked by their own tools.
 */
class AlertRulesIT {
    /** Series Prometheus makes itself for every target; no exporter has them. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final List<String> ALERTS = List.of("LifelineScrapeFailing", "LifelineScrapeAbsent", "LifelinePrimaryLineDown",
            "LifelineBackupLineUnhealthy", "LifelineTunnelDownWhileBastionRuns", "LifelineBastionRunsWithoutOutage", "LifelineOutboxGrowing",
            "LifelineHeartbeatNotDelivered");

    @TempDir
    static Path dir;
    private static String scrape;

    @BeforeAll
    static void scrapeARunningSupervisor() throws Exception {
        scrape = LiveScrape.take(dir, "home");
    }

    @Test
    void promtoolAcceptsTheRules() {
        Tools.Result check = PrometheusTools.promtool().run(null, "check", "rules", OpsFiles.path("prometheus/lifeline-rules.yml").toString());

        assertThat(check.exitCode()).as("%s", check).isZero();
        assertThat(check.output()).as("%s", check).contains("SUCCESS: " + ALERTS.size() + " rules found");
    }

    @Test
    void theRulesPassTheirUnitTestsOnSyntheticSeries() throws Exception {
        Path tests = OpsFiles.path("prometheus/lifeline-rules.test.yml");
        JsonNode suite = new ObjectMapper(new YAMLFactory()).readTree(tests.toFile());
        Set<String> tested = new TreeSet<>();
        suite.get("tests").forEach(t -> t.get("alert_rule_test").forEach(a -> tested.add(a.get("alertname").asText())));
        assertThat(tested).as("every alert has a test").containsExactlyInAnyOrderElementsOf(ALERTS);

        Tools.Result run = PrometheusTools.promtool().run(null, "test", "rules", tests.toString());

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.output()).as("%s", run).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void aRuleThatNoLongerMatchesItsTestFails() throws Exception {
        // the tests can fail: the same suite against rules whose primary-line alert waits 10m instead of 1m
        Path rules = dir.resolve("lifeline-rules.yml");
        String shipped = Files.readString(OpsFiles.path("prometheus/lifeline-rules.yml"));
        String broken = shipped.replaceFirst("(expr: lifeline_primary_up == 0\n\\s+for: )1m", "$110m");
        assertThat(broken).isNotEqualTo(shipped);
        Files.writeString(rules, broken);
        Files.copy(OpsFiles.path("prometheus/lifeline-rules.test.yml"), dir.resolve("lifeline-rules.test.yml"));

        Tools.Result run = PrometheusTools.promtool().run(null, "test", "rules", dir.resolve("lifeline-rules.test.yml").toString());

        assertThat(run.exitCode()).as("%s", run).isNotZero();
        assertThat(run.output()).contains("LifelinePrimaryLineDown");
    }

    @Test
    void everyMetricTheRulesReadIsInALiveScrape() throws Exception {
        JsonNode groups = new ObjectMapper(new YAMLFactory()).readTree(OpsFiles.path("prometheus/lifeline-rules.yml").toFile()).get("groups");
        List<String> exprs = new ArrayList<>();
        groups.forEach(g -> g.get("rules").forEach(r -> exprs.add(r.get("expr").asText())));
        Set<String> read = new TreeSet<>();
        exprs.forEach(e -> read.addAll(PromQlNames.of(e)));
        read.removeAll(PROMETHEUS_OWN);

        assertThat(read).as("names read by the rules").hasSizeGreaterThanOrEqualTo(6);
        assertThat(LiveScrapeNames.of(scrape)).as("the live scrape:\n%s", scrape).containsAll(read);
    }

    @Test
    void theExamplePrometheusConfigIsValidWithItsRulesAndTokenFile() throws Exception {
        // the example names installed paths; point them at this checkout and a token file, the rest as shipped
        Path token = Files.writeString(dir.resolve("lifeline-token"), "0123456789abcdef0123456789abcdef\n");
        String config = Files.readString(OpsFiles.path("prometheus/prometheus.example.yml"))
                .replace("/usr/share/lifeline/prometheus/lifeline-rules.yml", OpsFiles.path("prometheus/lifeline-rules.yml").toString())
                .replace("/etc/prometheus/lifeline-token", token.toString());
        Path file = Files.writeString(dir.resolve("prometheus.yml"), config);

        Tools.Result check = PrometheusTools.promtool().run(null, "check", "config", file.toString());

        assertThat(check.exitCode()).as("%s", check).isZero();
        assertThat(check.output()).contains("SUCCESS: 1 rule files found").contains("SUCCESS: " + ALERTS.size() + " rules found");
    }

    @Test
    void alertmanagerRoutesEachSiteToItsOwnReceiver() {
        Path config = OpsFiles.path("prometheus/alertmanager.example.yml");
        PrometheusTools amtool = PrometheusTools.amtool();
        Tools.Result check = amtool.run(null, "check-config", config.toString());
        assertThat(check.exitCode()).as("%s", check).isZero();

        for (Map.Entry<String, String> route : Map.of("home", "home", "office-berlin", "office-berlin", "paris", "admin").entrySet()) {
            Tools.Result r = amtool.run(null, "config", "routes", "test", "--config.file=" + config,
                    "--verify.receivers=" + route.getValue(), "site=" + route.getKey(), "alertname=LifelinePrimaryLineDown");
            assertThat(r.exitCode()).as("site %s: %s", route.getKey(), r).isZero();
            assertThat(r.output().lines().toList()).as("site %s", route.getKey()).contains(route.getValue());
        }
    }
}
