package io.github.cloudhsmdr.spi;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Filters for listing backups in one region; every non-empty part must match (AND), values inside
 * one part are alternatives (OR). An empty set means "no filter on that field".
 *
 * @param backupIds       match these backup ids
 * @param sourceBackupIds match copies of these source backups
 * @param clusterIds      match backups of these clusters
 * @param states          match these states
 * @param neverExpires    match this NeverExpires flag, or {@code null} for either
 */
public record BackupFilter(
        Set<String> backupIds,
        Set<String> sourceBackupIds,
        Set<String> clusterIds,
        Set<BackupState> states,
        Boolean neverExpires) {

    /** A filter that matches every backup. */
    public static final BackupFilter ALL = new BackupFilter(Set.of(), Set.of(), Set.of(), Set.of(), null);

    public BackupFilter {
        backupIds = backupIds == null ? Set.of() : Set.copyOf(backupIds);
        sourceBackupIds = sourceBackupIds == null ? Set.of() : Set.copyOf(sourceBackupIds);
        clusterIds = clusterIds == null ? Set.of() : Set.copyOf(clusterIds);
        states = states == null || states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
    }

    /** @return a filter matching copies of the given source backups. */
    public static BackupFilter sourceBackupIds(Collection<String> ids) {
        return new BackupFilter(null, Set.copyOf(ids), null, null, null);
    }

    /** @return a filter matching backups of the given clusters in the given states. */
    public static BackupFilter clusters(Collection<String> clusterIds, BackupState... states) {
        return new BackupFilter(null, null, Set.copyOf(clusterIds), Set.copyOf(List.of(states)), null);
    }

    /** @return a filter matching backups in the given states. */
    public static BackupFilter states(BackupState... states) {
        return new BackupFilter(null, null, null, Set.copyOf(List.of(states)), null);
    }

    /** @return a filter matching the given backup ids. */
    public static BackupFilter backupIds(Collection<String> ids) {
        return new BackupFilter(Set.copyOf(ids), null, null, null, null);
    }

    /** @return true when {@code backup} passes every part of this filter. */
    public boolean matches(Backup backup) {
        return (backupIds.isEmpty() || backupIds.contains(backup.backupId()))
                && (sourceBackupIds.isEmpty() || (backup.sourceBackup() != null
                        && sourceBackupIds.contains(backup.sourceBackup())))
                && (clusterIds.isEmpty() || (backup.clusterId() != null && clusterIds.contains(backup.clusterId())))
                && (states.isEmpty() || states.contains(backup.state()))
                && (neverExpires == null || neverExpires == backup.neverExpires());
    }
}
