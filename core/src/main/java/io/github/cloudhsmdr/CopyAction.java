package io.github.cloudhsmdr;

/** What a run did for one source backup in one destination region. */
public enum CopyAction {
    /** The copy was started in this run (and found in the destination, unless the outcome says otherwise). */
    COPIED,
    /**
     * The copy was started in this run but was not READY when the wait for READY ran out: the destination
     * does not hold it yet, and the next run checks it again.
     */
    NOT_READY,
    /** A live copy was already in the destination; nothing was done. */
    ALREADY_PRESENT,
    /** A copy started earlier is still CREATE_IN_PROGRESS. */
    IN_PROGRESS,
    /** The copy could not be made; the outcome's failure says why. */
    FAILED,
    /** The source backup was gone (deleted meanwhile); nothing to copy. */
    SOURCE_GONE,
    /** Left out on purpose, as planned. */
    SKIPPED
}
