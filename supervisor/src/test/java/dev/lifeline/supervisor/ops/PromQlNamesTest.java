package dev.lifeline.supervisor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The name extraction the dashboard and rule checks rely on: it must miss no metric and invent none. */
class PromQlNamesTest {
    @Test
    void aBareSelectorWithMatchersIsItsName() {
        assertThat(PromQlNames.of("lifeline_primary_up{site=~\"$site\", job=\"a{b}\"}")).containsExactly("lifeline_primary_up");
    }

    @Test
    void functionsRangesGroupingAndNumbersAreNotNames() {
        assertThat(PromQlNames.of("avg_over_time(lifeline_bastion_running{site=~\"$site\"}[24h]) * 24 * on(job, instance, site)"
                + " lifeline_bastion_hourly_price_dollars + on(site) group_left(tunnel) lifeline_x > bool 1e3"))
                .containsExactly("lifeline_bastion_hourly_price_dollars", "lifeline_bastion_running", "lifeline_x");
    }

    @Test
    void setOperatorsAndAggregationsKeepBothSides() {
        assertThat(PromQlNames.of("sum by (site) (lifeline_tunnel_up == 0) and on(job, instance, site) lifeline_bastion_running == 1"
                + " unless absent(up{job=\"lifeline\"})"))
                .containsExactly("lifeline_bastion_running", "lifeline_tunnel_up", "up");
    }
}
