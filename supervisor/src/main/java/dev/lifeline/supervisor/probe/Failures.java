package dev.lifeline.supervisor.probe;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.time.Duration;

/** One short phrase per network failure, the same in every probe's detail. */
final class Failures {
    private Failures() {
    }

    static String describe(Exception e, Duration timeout) {
        if (e instanceof InterruptedIOException || String.valueOf(e.getMessage()).toLowerCase().contains("timed out")
                || String.valueOf(e.getMessage()).toLowerCase().contains("timeout")) {
            return "timeout after " + timeout.toMillis() + " ms";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
