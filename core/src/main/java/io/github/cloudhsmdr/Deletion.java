package io.github.cloudhsmdr;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A copy that retention deleted (or tried to) in a run. DeleteBackup is a soft delete: the copy stays
 * PENDING_DELETION until {@code deleteTimestamp} and {@link BackupReplicator#undoDeletions} brings it back
 * until then.
 *
 * @param backupId        the deleted copy
 * @param region          its region
 * @param sourceBackupId  the source backup it was a copy of, or {@code null} when unknown
 * @param createTimestamp its CreateTimestamp, or {@code null}
 * @param verdict         DELETE or DELETE_DUPLICATE
 * @param reasons         why retention deleted it
 * @param deleteTimestamp when the service removes it for good, or {@code null} when unknown or failed
 * @param failure         why the deletion failed, or {@code null} when it succeeded
 */
public record Deletion(
        String backupId,
        String region,
        String sourceBackupId,
        Instant createTimestamp,
        RetentionVerdict verdict,
        List<String> reasons,
        Instant deleteTimestamp,
        Failure failure) {

    public Deletion {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(verdict, "verdict");
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** @return true when the copy is now PENDING_DELETION. */
    public boolean succeeded() {
        return failure == null;
    }
}
