package dev.lifeline.supervisor.bench;

/**
 * One row of ci/bench.sh's table: what was measured, the target it is held to and the anchor (the same figure for
 * OpenSSH, autossh or dpinger, measured in the same run where that is possible; a documented figure otherwise).
 *
 * @param key    a stable name for the JSON, so later runs compare row by row
 * @param atMost true when smaller is better (a time, a size), false when larger is (a throughput ratio)
 * @param anchor what the same figure is for the tool we replace, with its unit; "" when there is none
 */
record Figure(String key, String label, double value, String unit, boolean atMost, double target, String anchor) {

    static Figure atMost(String key, String label, double value, String unit, double target, String anchor) {
        return new Figure(key, label, value, unit, true, target, anchor);
    }

    static Figure atLeast(String key, String label, double value, String unit, double target, String anchor) {
        return new Figure(key, label, value, unit, false, target, anchor);
    }

    /** A figure with no target: it explains another (the MB/s behind a ratio, the false alarms of an alternative). */
    static Figure info(String key, String label, double value, String unit, String anchor) {
        return new Figure(key, label, value, unit, true, Double.NaN, anchor);
    }

    boolean hasTarget() {
        return !Double.isNaN(target);
    }

    boolean met() {
        return !hasTarget() || (atMost ? value <= target : value >= target);
    }
}
