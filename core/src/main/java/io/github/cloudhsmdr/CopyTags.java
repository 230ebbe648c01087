package io.github.cloudhsmdr;

/**
 * The tags a replicator puts on every copy it makes. The ownership tag is what retention relies on: a
 * backup without it, with this replicator's name as value, is never deleted.
 */
public final class CopyTags {
    /** Prefix of every tag key this library sets; user tags may not use it. */
    public static final String PREFIX = "cloudhsm-dr:";
    /** Prefix of the tag keys AWS reserves for itself; no one may set them. */
    public static final String AWS_PREFIX = "aws:";
    /** Ownership tag: its value is the replicator's name. */
    public static final String OWNER = PREFIX + "replicator";
    /** The source backup's id. */
    public static final String SOURCE_BACKUP = PREFIX + "source-backup";
    /** The source backup's region. */
    public static final String SOURCE_REGION = PREFIX + "source-region";
    /** The source backup's cluster. */
    public static final String SOURCE_CLUSTER = PREFIX + "source-cluster";
    /** How many tags the library sets on a copy. */
    public static final int RESERVED_COUNT = 4;
    /** The most tags CloudHSM allows on a backup. */
    public static final int MAX_TAGS = 50;

    private CopyTags() {
    }

    /**
     * @param key a tag key
     * @return true when the key uses a reserved prefix ({@link #AWS_PREFIX} or {@link #PREFIX}): only this library
     *         (or AWS) sets such tags
     */
    public static boolean isReserved(String key) {
        return key.startsWith(AWS_PREFIX) || key.startsWith(PREFIX);
    }
}
