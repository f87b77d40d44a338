package dev.lifeline.supervisor.status;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, written from its rules: HELP and TYPE comments with
 * valid names and types, one TYPE per family before its samples, label values quoted with only {@code \\ \" \n}
 * escapes, a float value (NaN, +Inf and -Inf included) and an optional integer timestamp. Any other line fails.
 */
final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{((?:" + LABEL + ")(?:," + LABEL + ")*)?,?})? "
            + "([-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|NaN|Inf))(?: -?[0-9]+)?");

    record Sample(String name, String labels, double value) {
    }

    private PrometheusText() {
    }

    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        List<String> typed = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = TYPE.matcher(line)).matches()) {
                if (typed.contains(m.group(1))) {
                    throw new AssertionError("line " + n + ": a second TYPE for " + m.group(1));
                }
                typed.add(m.group(1));
            } else if (HELP.matcher(line).matches() || line.startsWith("# ") && !line.startsWith("# HELP") && !line.startsWith("# TYPE")) {
                continue;
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                if (typed.stream().noneMatch(name::startsWith)) {
                    throw new AssertionError("line " + n + ": sample " + name + " before its family's TYPE");
                }
                String v = m.group(3);
                double value = v.endsWith("Inf") ? (v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : Double.parseDouble(v);
                samples.add(new Sample(name, m.group(2) == null ? "" : m.group(2), value));
            } else {
                throw new AssertionError("line " + n + " is not Prometheus text format: " + line);
            }
        }
        if (!text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a line feed");
        }
        return samples;
    }
}
