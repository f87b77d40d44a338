package dev.lifeline.supervisor.config;

import java.util.regex.Pattern;

/** The probe target forms the config accepts; the probe package parses them for real at start. */
final class ProbeSyntax {
    private static final Pattern FORM = Pattern.compile("(dns://[^/\\s]+/[^\\s/]+|tcp://[^\\s/]+:\\d{1,5}|https?://\\S+)");

    private ProbeSyntax() {
    }

    static void check(String key, String target) {
        if (target == null || !FORM.matcher(target).matches()) {
            throw new ConfigValueException(key, "probe '" + target + "' is not a probe target; write dns://RESOLVER/NAME, "
                    + "tcp://HOST:PORT or https://HOST/PATH, e.g. dns://192.168.1.1/example.com");
        }
    }
}
