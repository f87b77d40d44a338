package dev.lifeline.supervisor.link;

import java.time.Instant;
import java.util.Optional;

/**
 * mwan3's tracking rules as a value-free state machine: a round is good when at least {@code reliability} targets
 * answered; {@code down} bad rounds in a row declare DOWN, {@code up} good rounds in a row declare UP. A single lost
 * probe on a healthy line therefore changes nothing, and a line that flaps faster than {@code up} rounds stays DOWN.
 * Time comes in with each round, so hours of rounds run in a test in milliseconds.
 */
public final class LinkTracker {
    private final String link;
    private final int reliability;
    private final int downAfter;
    private final int upAfter;
    private LinkState state;
    private Instant since;
    private Instant lastGood;
    private int badInARow;
    private int goodInARow;
    private boolean egressOnBackup;

    /** Starts UP, as mwan3 does by default: the supervisor usually starts on a working line. */
    public LinkTracker(String link, int reliability, int downAfter, int upAfter, Instant start) {
        if (reliability < 1 || downAfter < 1 || upAfter < 1) {
            throw new IllegalArgumentException("reliability, down and up must be ≥ 1");
        }
        this.link = link;
        this.reliability = reliability;
        this.downAfter = downAfter;
        this.upAfter = upAfter;
        this.state = LinkState.UP;
        this.since = start;
    }

    /**
     * One round of probes.
     *
     * @param answered how many targets answered in time
     * @param lastFailure a short reason from a failed probe, for the transition's why; may be null
     * @return the transition this round caused, if any
     */
    public synchronized Optional<LinkTransition> round(int answered, String lastFailure, Instant at) {
        boolean good = answered >= reliability && !egressOnBackup;
        if (good) {
            lastGood = at;
            goodInARow++;
            badInARow = 0;
            if (state == LinkState.DOWN && goodInARow >= upAfter) {
                return Optional.of(move(LinkState.UP, at, goodInARow + " good rounds in a row"));
            }
        } else {
            badInARow++;
            goodInARow = 0;
            if (state == LinkState.UP && badInARow >= downAfter) {
                return Optional.of(move(LinkState.DOWN, at, badInARow + " bad rounds in a row"
                        + (lastFailure == null ? "" : " (last: " + lastFailure + ")")));
            }
        }
        return Optional.empty();
    }

    /**
     * The primary path's public egress was checked. On the backup ISP, the router has failed over: the probes
     * answer, but not through the primary, so the line is DOWN at once and every round counts as bad until a check
     * shows the primary's own egress again; then UP still needs {@code up} good rounds.
     */
    public synchronized Optional<LinkTransition> egressChecked(boolean onBackupIsp, String why, Instant at) {
        egressOnBackup = onBackupIsp;
        if (!onBackupIsp) {
            return Optional.empty();
        }
        goodInARow = 0;
        if (state == LinkState.DOWN) {
            return Optional.empty();
        }
        return Optional.of(move(LinkState.DOWN, at, why));
    }

    private LinkTransition move(LinkState to, Instant at, String why) {
        LinkTransition t = new LinkTransition(link, state, to, at, to == LinkState.DOWN ? lastGood : null, why);
        state = to;
        since = at;
        return t;
    }

    public synchronized LinkState state() {
        return state;
    }

    public synchronized Instant since() {
        return since;
    }

    public String link() {
        return link;
    }
}
