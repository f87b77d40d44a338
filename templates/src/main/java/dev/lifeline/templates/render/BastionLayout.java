package dev.lifeline.templates.render;

import java.util.List;

/**
 * Where the bastion's files live and what it listens on. On the VM everything is at its usual place;
 * tests move the same rendered files under a directory of their own and onto loopback ports, so the
 * real sshd and nginx run exactly the templates the VM gets.
 *
 * @param root        prefix for every absolute path in the files ("" on the VM)
 * @param sshListen   sshd ListenAddress values (empty: all addresses)
 * @param httpListen  nginx {@code listen} values for plain HTTP (ACME challenge + redirect)
 * @param httpsListen nginx {@code listen} values for HTTPS
 * @param twilioApi   base URL of Twilio's REST API
 */
public record BastionLayout(String root, List<String> sshListen, List<String> httpListen,
                            List<String> httpsListen, String twilioApi) {

    public static final String TWILIO_API = "https://api.twilio.com";

    public BastionLayout {
        if (!root.isEmpty() && (!root.startsWith("/") || root.endsWith("/") || root.contains(" "))) {
            throw new IllegalArgumentException("layout root must be empty or an absolute path without a trailing '/' or spaces: " + root);
        }
        sshListen = List.copyOf(sshListen);
        httpListen = List.copyOf(httpListen);
        httpsListen = List.copyOf(httpsListen);
    }

    /** The layout on the cloud VM. */
    public static BastionLayout onVm() {
        return new BastionLayout("", List.of(), List.of("80", "[::]:80"), List.of("443", "[::]:443"), TWILIO_API);
    }

    /** The same files under {@code root}, listening on loopback only: for tests and local runs. */
    public static BastionLayout onLoopback(String root, int httpPort, int httpsPort, String twilioApi) {
        return new BastionLayout(root, List.of("127.0.0.1"), List.of("127.0.0.1:" + httpPort),
                List.of("127.0.0.1:" + httpsPort), twilioApi);
    }
}
