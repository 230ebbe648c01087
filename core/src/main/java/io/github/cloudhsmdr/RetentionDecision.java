package io.github.cloudhsmdr;

import io.github.cloudhsmdr.spi.BackupState;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Retention's decision for one backup in a destination region, with the reasons behind it (the "why kept /
 * why deleted" of a plan).
 *
 * <p>Reasons are short texts such as {@code "keep-daily 3 (2026-11-27)"}, {@code "newest READY copy"},
 * {@code "floor of 2 READY copies"}, {@code "NeverExpires"}, {@code "CREATE_IN_PROGRESS"} or
 * {@code "duplicate of backup-…"}; they are meant for people and may change between versions.
 *
 * @param backupId          the copy's backup id in the destination region
 * @param destinationRegion the destination region
 * @param sourceCluster     the cluster the source backup belongs to, or {@code null} when unknown
 * @param sourceBackupId    the source backup's id, or {@code null} when unknown
 * @param createTimestamp   the copy's CreateTimestamp (the source backup's creation time), or {@code null}
 * @param state             the copy's state when it was evaluated
 * @param verdict           what retention does with it
 * @param reasons           why, never empty
 */
public record RetentionDecision(
        String backupId,
        String destinationRegion,
        String sourceCluster,
        String sourceBackupId,
        Instant createTimestamp,
        BackupState state,
        RetentionVerdict verdict,
        List<String> reasons) {

    public RetentionDecision {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(destinationRegion, "destinationRegion");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(verdict, "verdict");
        reasons = List.copyOf(reasons);
    }

    /** @return true when retention deletes this copy ({@link RetentionVerdict#deletes()}). */
    public boolean deletes() {
        return verdict.deletes();
    }

    @Override
    public String toString() {
        return backupId + " " + verdict + " " + reasons + " [" + state + ", created " + createTimestamp
                + ", source " + sourceCluster + "/" + sourceBackupId + " in " + destinationRegion + "]";
    }
}
