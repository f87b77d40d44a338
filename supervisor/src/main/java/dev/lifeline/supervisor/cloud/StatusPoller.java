package dev.lifeline.supervisor.cloud;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import dev.lifeline.supervisor.cloud.BastionStatus.State;

/** The one {@code await} loop every provider shares: bounded in time and in the number of polls. */
final class StatusPoller {
    private final Duration interval;

    StatusPoller(Duration interval) {
        this.interval = interval;
    }

    /**
     * Polls until {@code wanted}, GONE (it will never arrive) or the timeout. A transient failure of one poll is
     * no answer yet; a permanent one ends the wait at once.
     */
    BastionStatus await(Supplier<BastionStatus> status, State wanted, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        long maxPolls = timeout.toMillis() / Math.max(1, interval.toMillis()) + 2;
        BastionStatus last = null;
        CloudException lastFailure = null;
        for (long poll = 0; poll < maxPolls; poll++) {
            try {
                last = status.get();
                lastFailure = null;
                if (last.state() == wanted || last.state() == State.GONE) {
                    return last;
                }
            } catch (CloudException e) {
                if (e.permanent()) {
                    throw e;
                }
                lastFailure = e;
            }
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            sleep(left.compareTo(interval) < 0 ? left : interval);
        }
        if (last == null) {
            throw lastFailure != null ? lastFailure
                    : new CloudException("no status within " + timeout, false, null);
        }
        return last;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudException("interrupted while waiting for the bastion", false, e);
        }
    }
}
