package io.github.cloudhsmdr;

/** What retention decided for one copy in a destination region. */
public enum RetentionVerdict {
    /** A keep rule, the newest-READY rule or the {@link RetentionPolicy#minReadyCopies() floor} keeps it. */
    KEEP,
    /** No rule keeps it: it is deleted. */
    DELETE,
    /** It is an extra READY copy of a source backup that already has a copy in the group: it is deleted. */
    DELETE_DUPLICATE,
    /**
     * Retention does not touch it (not ours, NeverExpires, not READY, no CreateTimestamp, a backup of a cluster
     * in the destination region, ...); the reasons say why.
     */
    PROTECTED;

    /** @return true for {@link #DELETE} and {@link #DELETE_DUPLICATE}. */
    public boolean deletes() {
        return this == DELETE || this == DELETE_DUPLICATE;
    }
}
