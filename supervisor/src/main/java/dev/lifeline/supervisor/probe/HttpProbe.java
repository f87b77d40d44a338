package dev.lifeline.supervisor.probe;

import java.io.IOException;
import java.time.Duration;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * GETs a URL from the line's source address. A redirect counts as an answer (captive portals answer too, which is
 * why a DNS or TCP probe to the ISP is the better primary check); {@code expectedStatus} admits one more status,
 * e.g. 204 endpoints or a 401 from a router's admin page.
 */
final class HttpProbe implements Probe {
    private final String target;
    private final String url;
    private final Integer expectedStatus;
    private final OkHttpClient client;
    private final Duration timeout;

    HttpProbe(String target, String url, Integer expectedStatus, SourceAddress source, Duration timeout) {
        this.target = target;
        this.url = url;
        this.expectedStatus = expectedStatus;
        this.client = BoundHttp.client(source, timeout, timeout);
        this.timeout = timeout;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public ProbeResult run() {
        long start = System.nanoTime();
        Request request = new Request.Builder().url(url).header("User-Agent", "lifeline-probe").get().build();
        try (Response response = client.newCall(request).execute()) {
            Duration rtt = Duration.ofNanos(System.nanoTime() - start);
            int status = response.code();
            boolean ok = (status >= 200 && status < 400) || (expectedStatus != null && status == expectedStatus);
            return ok ? ProbeResult.ok(target, rtt, "HTTP " + status) : ProbeResult.failed(target, rtt, "HTTP " + status);
        } catch (IOException e) {
            return ProbeResult.failed(target, Duration.ofNanos(System.nanoTime() - start), Failures.describe(e, timeout));
        }
    }

    @Override
    public String toString() {
        return "HttpProbe[" + target + "]";
    }
}
