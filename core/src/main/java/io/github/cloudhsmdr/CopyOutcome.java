package io.github.cloudhsmdr;

import io.github.cloudhsmdr.spi.BackupState;

import java.time.Instant;
import java.util.Objects;

/**
 * What happened to one source backup in one destination region during a run.
 *
 * @param sourceBackupId      the source backup
 * @param createTimestamp     the source backup's creation time, or {@code null}
 * @param action              what was done
 * @param destinationBackupId the copy's id in the destination, or {@code null} when unknown
 * @param destinationState    the copy's state when last seen, or {@code null} when unknown
 * @param detail              a readable detail (why skipped, what was found)
 * @param failure             why it failed, or {@code null}
 */
public record CopyOutcome(
        String sourceBackupId,
        Instant createTimestamp,
        CopyAction action,
        String destinationBackupId,
        BackupState destinationState,
        String detail,
        Failure failure) {

    public CopyOutcome {
        Objects.requireNonNull(sourceBackupId, "sourceBackupId");
        Objects.requireNonNull(action, "action");
        detail = detail == null ? "" : detail;
    }

    /** @return true when this item failed. */
    public boolean failed() {
        return action == CopyAction.FAILED;
    }
}
