package dev.lifeline.supervisor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lifeline.supervisor.testing.LiveScrape;
import dev.lifeline.supervisor.testing.OpsFiles;
import dev.lifeline.supervisor.testing.PrometheusTools;
import dev.lifeline.templates.testing.Tools;

/**
 * ops/grafana/lifeline-dashboard.json: it parses, it has the status page's panels plus cost, every query is PromQL that
 * Prometheus parses, and every metric a query names is in a live {@code /metrics} of the real supervisor.
 */
class GrafanaDashboardIT {
    /**
     * What current Grafana writes into a classic dashboard's JSON: grafana/grafana,
     * apps/dashboard/pkg/migration/schemaversion/migrations.go, {@code LATEST_VERSION = 42}. A dashboard at the
     * latest version is loaded as written, with no migration step guessing at it.
     */
    static final int GRAFANA_SCHEMA_VERSION = 42;
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

    @TempDir
    static Path dir;
    private static String scrape;
    private static JsonNode dashboard;

    @BeforeAll
    static void readTheDashboardAndScrapeARunningSupervisor() throws Exception {
        dashboard = new ObjectMapper().readTree(OpsFiles.path("grafana/lifeline-dashboard.json").toFile());
        scrape = LiveScrape.take(dir, "home");
    }

    private static List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.get("panels").forEach(panels::add);
        return panels;
    }

    private static List<String> exprs() {
        List<String> exprs = new ArrayList<>();
        panels().forEach(p -> p.get("targets").forEach(t -> exprs.add(t.get("expr").asText())));
        return exprs;
    }

    @Test
    void itIsACurrentClassicDashboardWithTheStatusPagesPanelsAndCost() {
        assertThat(dashboard.get("schemaVersion").asInt()).isEqualTo(GRAFANA_SCHEMA_VERSION);
        assertThat(dashboard.get("uid").asText()).matches("[A-Za-z0-9_-]{1,40}");
        List<String> titles = panels().stream().map(p -> p.get("title").asText()).toList();
        assertThat(titles).as("the status page's cards, charts and timeline, plus cost")
                .contains("Primary line", "Backup line", "Tunnels", "Bastion", "Outage", "Alerts waiting",
                        "Primary line: probe round-trip", "Backup line: download and latency", "Timeline")
                .anySatisfy(t -> assertThat(t).startsWith("Bastion cost"));
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : panels()) {
            assertThat(ids.add(p.get("id").asInt())).as("panel id %s is unique", p.get("id")).isTrue();
            assertThat(p.get("datasource").get("uid").asText()).as(p.get("title").asText()).isEqualTo("${datasource}");
            JsonNode pos = p.get("gridPos");
            assertThat(pos.get("x").asInt() + pos.get("w").asInt()).as("%s fits Grafana's 24 columns", p.get("title")).isLessThanOrEqualTo(24);
            assertThat(p.get("targets")).as(p.get("title").asText()).isNotEmpty();
        }
        List<String> variables = new ArrayList<>();
        dashboard.get("templating").get("list").forEach(v -> variables.add(v.get("name").asText()));
        assertThat(variables).containsExactly("datasource", "site");
        assertThat(exprs()).as("every query is per site").allSatisfy(e -> assertThat(e).contains("site=~\"$site\""));
    }

    @Test
    void everyQueryIsPromQlThatPrometheusParses() throws Exception {
        // promtool parses expressions in rule files: each query becomes a recording rule, the variable a regex
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<String> exprs = exprs();
        for (int i = 0; i < exprs.size(); i++) {
            String expr = exprs.get(i).replace("$site", ".*");
            rules.append("      - record: dashboard:query").append(i).append("\n        expr: '").append(expr.replace("'", "''")).append("'\n");
        }
        Path file = Files.writeString(dir.resolve("dashboard-queries.yml"), rules);

        Tools.Result check = PrometheusTools.promtool().run(null, "check", "rules", file.toString());

        assertThat(check.exitCode()).as("%s\n%s", check, rules).isZero();
        assertThat(check.output()).contains("SUCCESS: " + exprs.size() + " rules found");
    }

    @Test
    void everyMetricTheDashboardQueriesIsInALiveScrape() {
        Set<String> queried = new TreeSet<>();
        exprs().forEach(e -> queried.addAll(PromQlNames.of(e)));
        dashboard.get("templating").get("list").forEach(v -> {
            Matcher m = LABEL_VALUES.matcher(v.path("definition").asText());
            if (m.find()) {
                queried.add(m.group(1));
            }
        });

        assertThat(queried).as("names the dashboard queries").hasSizeGreaterThanOrEqualTo(10);
        assertThat(LiveScrapeNames.of(scrape)).as("the live scrape:\n%s", scrape).containsAll(queried);
    }
}
