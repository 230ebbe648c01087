package io.github.cloudhsmdr.spi;

import java.util.Locale;

/**
 * Lifecycle state of a CloudHSM backup, as reported by {@code DescribeBackups}.
 *
 * <p>{@link #UNKNOWN} stands for any value this library does not know (a newer service version);
 * it is never treated as a usable copy and never deleted.
 */
public enum BackupState {
    /** The backup is being created (a fresh copy in a destination region starts here). */
    CREATE_IN_PROGRESS,
    /** The backup is complete and can be restored. */
    READY,
    /** The backup is gone; a copy that failed inside AWS also ends here. */
    DELETED,
    /** DeleteBackup was called; the backup can be restored until its DeleteTimestamp. */
    PENDING_DELETION,
    /** A state this library does not know. */
    UNKNOWN;

    /**
     * Parses the API's string form; {@code null} and unknown values give {@link #UNKNOWN}.
     *
     * @param value the wire value, e.g. {@code "READY"}
     * @return the state, never {@code null}
     */
    public static BackupState fromApi(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        try {
            return BackupState.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** @return true for states in which a copy counts as present in its region (all but DELETED and UNKNOWN). */
    public boolean isLive() {
        return this == CREATE_IN_PROGRESS || this == READY || this == PENDING_DELETION;
    }
}
