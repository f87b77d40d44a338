package dev.lifeline.supervisor.probe;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/** OkHttp clients for checking a line: bound to its source, no retries, no redirects, no pooled connections. */
final class BoundHttp {
    private BoundHttp() {
    }

    /**
     * A pooled connection would let a probe succeed on a path set up before the line died, and would skip the
     * handshake a real user pays; a retry would hide exactly the failures we count. So: fresh connection each call.
     */
    static OkHttpClient client(SourceAddress source, Duration connectTimeout, Duration callTimeout) {
        return new OkHttpClient.Builder()
                .socketFactory(new BoundSocketFactory(source))
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(connectTimeout)
                .readTimeout(callTimeout)
                .callTimeout(callTimeout)
                .build();
    }
}
