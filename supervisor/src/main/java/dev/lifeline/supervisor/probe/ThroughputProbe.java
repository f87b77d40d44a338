package dev.lifeline.supervisor.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import dev.lifeline.supervisor.probe.ThroughputResult.Verdict;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A download speed check that stops as soon as the answer to "is this line at least X fast?" is proven, instead of
 * downloading a fixed size as speed tests do: on a metered backup line (LTE, satellite) the check itself costs money.
 * On a 100 Mbit/s line a 10 Mbit/s check ends after about 0.3 s and 4 MB; see {@link RateJudge} for the rules.
 */
public final class ThroughputProbe {
    private static final int READ_BYTES = 16 * 1024;
    private static final long PROGRESS_EVERY_BYTES = 64 * 1024;

    private final List<URI> urls;
    private final SourceAddress source;
    private final Duration connectTimeout;
    private final LongSupplier nanoTime;

    /**
     * @param urls           large downloads (bigger than maxBytes), tried in order until one works, e.g.
     *                       {@code https://speed.cloudflare.com/__down?bytes=50000000}
     * @param bind           null for any source address, an IP address, or an interface name
     * @param connectTimeout for each URL's connection
     */
    /** The bastion's speed test lives under this path plus a secret (templates' BastionSpec.speedPath). */
    private static final String SECRET_PATH = "/lifeline/speed/";

    public ThroughputProbe(List<URI> urls, String bind, Duration connectTimeout) {
        this(urls, bind, connectTimeout, System::nanoTime);
    }

    ThroughputProbe(List<URI> urls, String bind, Duration connectTimeout, LongSupplier nanoTime) {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("throughput urls: at least one is needed, e.g. https://speed.cloudflare.com/__down?bytes=50000000");
        }
        for (URI u : urls) {
            if (u == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("throughput url '" + u + "' is not an http(s) URL; write e.g."
                        + " https://speed.cloudflare.com/__down?bytes=50000000");
            }
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("throughput connectTimeout must be positive (got " + connectTimeout + ")");
        }
        this.urls = List.copyOf(urls);
        this.source = SourceAddress.parse(bind);
        this.connectTimeout = connectTimeout;
        this.nanoTime = nanoTime;
    }

    /**
     * Downloads until the verdict against {@code thresholdBitsPerSecond} is proven or a cap is reached. Never throws
     * for a network failure: when no URL gives enough data the verdict is INCONCLUSIVE and the detail says why.
     *
     * @param progressBytes told the total bytes so far (across URLs) every 64 KiB and at the end; may be null
     */
    public ThroughputResult measure(long thresholdBitsPerSecond, long maxBytes, Duration maxDuration, LongConsumer progressBytes) {
        if (thresholdBitsPerSecond <= 0) {
            throw new IllegalArgumentException("threshold must be > 0 bit/s (got " + thresholdBitsPerSecond + "); write e.g. minDownload: 10Mbit");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be > 0 (got " + maxBytes + ")");
        }
        if (maxDuration == null || maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("maxDuration must be positive (got " + maxDuration + ")");
        }
        LongConsumer progress = progressBytes == null ? b -> { } : progressBytes;
        Download d = new Download(nanoTime.getAsLong(), maxBytes, maxDuration.toNanos(), progress);
        List<String> failures = new ArrayList<>();
        for (URI url : urls) {
            if (d.remainingNanos() <= 0 || d.total >= maxBytes) {
                break;
            }
            ThroughputResult r = attempt(url, new RateJudge(thresholdBitsPerSecond), d, failures);
            if (r != null) {
                return r;
            }
        }
        String last = urls.get(urls.size() - 1).toString();
        return new ThroughputResult(last, d.total, d.elapsed(), 0, Verdict.INCONCLUSIVE,
                failures.isEmpty() ? "no time or bytes left to try a URL" : String.join("; ", failures));
    }

    /** One URL: a result when it gave a verdict, null (and a line in {@code failures}) when the next should be tried. */
    /** The URL as logs and the status page may show it: the bastion's speed test without its secret path. */
    static String shown(URI url) {
        String text = url.toString();
        int secret = text.indexOf(SECRET_PATH);
        return secret < 0 ? text : text.substring(0, secret + SECRET_PATH.length()) + "…";
    }

    private ThroughputResult attempt(URI url, RateJudge judge, Download d, List<String> failures) {
        OkHttpClient client = BoundHttp.client(source, connectTimeout, Duration.ofNanos(Math.max(1, d.remainingNanos())));
        Request request = new Request.Builder().url(url.toString()).header("User-Agent", "lifeline-throughput")
                // compressed bytes would make the line look faster than it is
                .header("Accept-Encoding", "identity").build();
        Call call = client.newCall(request);
        try (Response response = call.execute()) {
            if (response.code() < 200 || response.code() >= 300) {
                failures.add(shown(url) + ": HTTP " + response.code());
                return null;
            }
            Verdict v = read(response.body().byteStream(), judge, d);
            // cancel first: closing an unfinished body would otherwise drain it for up to 100 ms, paying for bytes
            call.cancel();
            if (v == Verdict.INCONCLUSIVE && d.total < d.maxBytes && d.remainingNanos() > 0) {
                failures.add(shown(url) + ": " + judge.reason());
                return null;
            }
            return new ThroughputResult(shown(url), d.total, d.elapsed(), judge.bitsPerSecond(), v, url.getHost() + ": " + judge.reason());
        } catch (IOException e) {
            call.cancel();
            if (d.remainingNanos() <= 0) {
                Verdict v = judge.stopped(true);
                return new ThroughputResult(shown(url), d.total, d.elapsed(), judge.bitsPerSecond(), v,
                        url.getHost() + ": maxDuration reached, " + judge.reason());
            }
            failures.add(shown(url) + ": " + Failures.describe(e, connectTimeout));
            return null;
        } finally {
            d.progress.accept(d.total);
        }
    }

    private Verdict read(InputStream body, RateJudge judge, Download d) throws IOException {
        long origin = nanoTime.getAsLong();
        long mine = 0;
        long reported = d.total;
        byte[] buffer = new byte[READ_BYTES];
        // bounded: every turn reads ≥ 1 byte of at most maxBytes, or ends at EOF or the deadline
        while (true) {
            if (d.total >= d.maxBytes) {
                return judge.stopped(false);
            }
            if (d.remainingNanos() <= 0) {
                return judge.stopped(true);
            }
            int n = body.read(buffer, 0, (int) Math.min(buffer.length, d.maxBytes - d.total));
            if (n < 0) {
                return judge.stopped(false);
            }
            mine += n;
            d.total += n;
            if (d.total - reported >= PROGRESS_EVERY_BYTES) {
                reported = d.total;
                d.progress.accept(d.total);
            }
            Verdict v = judge.observe(nanoTime.getAsLong() - origin, mine);
            if (v != null) {
                return v;
            }
        }
    }

    /** The running totals of one {@link #measure} call, shared by its attempts. */
    private final class Download {
        final long start;
        final long maxBytes;
        final long maxNanos;
        final LongConsumer progress;
        long total;

        Download(long start, long maxBytes, long maxNanos, LongConsumer progress) {
            this.start = start;
            this.maxBytes = maxBytes;
            this.maxNanos = maxNanos;
            this.progress = progress;
        }

        long remainingNanos() {
            return maxNanos - (nanoTime.getAsLong() - start);
        }

        Duration elapsed() {
            return Duration.ofNanos(nanoTime.getAsLong() - start);
        }
    }

    @Override
    public String toString() {
        return "ThroughputProbe[" + urls.stream().map(ThroughputProbe::shown).toList() + " from " + source + "]";
    }
}
