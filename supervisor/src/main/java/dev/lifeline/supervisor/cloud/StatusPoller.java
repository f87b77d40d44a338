package dev.lifeline.supervisor.cloud;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import dev.lifeline.supervisor.cloud.BastionStatus.State;

/**
 * The one {@code await} loop every provider shares: bounded in time and in the number of polls. Time is the injected
 * clock's and the pause between polls the injected sleeper's, so a test runs an hour of polling in no time.
 */
final class StatusPoller {
    /** Waits out a pause between polls. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Duration interval;
    private final Clock clock;
    private final Sleeper sleeper;

    StatusPoller(Duration interval) {
        this(interval, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    }

    StatusPoller(Duration interval, Clock clock, Sleeper sleeper) {
        this.interval = interval;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Polls until {@code wanted}, GONE (it will never arrive) or the timeout. A transient failure of one poll is
     * no answer yet; a permanent one ends the wait at once.
     */
    BastionStatus await(Supplier<BastionStatus> status, State wanted, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
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
            Duration left = Duration.between(clock.instant(), deadline);
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

    private void sleep(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudException("interrupted while waiting for the bastion", false, e);
        }
    }
}
