package io.github.cloudhsmdr;

/** How a region's newest READY backup of a cluster compares with the recovery point objective. */
public enum RecoveryPointStatus {
    /** Newer than the warning age. */
    OK,
    /** Older than the warning age. */
    WARN,
    /** Older than the critical age. */
    CRITICAL,
    /** The region holds no READY backup of the cluster at all. */
    MISSING,
    /** The region could not be read; the measurement's failure says why. */
    UNKNOWN
}
