package dev.lifeline.supervisor.probe;

/** Finds out which ISP a line goes out through, so a backup that silently fell back to the primary is noticed. */
public interface IspLookup {
    /**
     * Blocks at most the lookup's timeout.
     *
     * @throws ProbeException when there is no answer or it has the wrong shape; the message says which
     */
    IspIdentity lookup();
}
