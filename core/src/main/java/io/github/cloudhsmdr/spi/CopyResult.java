package io.github.cloudhsmdr.spi;

import java.time.Instant;

/**
 * What CopyBackupToRegion answers. It names no destination backup id: the copy is found by listing
 * the destination with {@link BackupFilter#sourceBackupIds}.
 *
 * @param sourceBackup    the backup that was copied
 * @param sourceRegion    its region
 * @param sourceCluster   its cluster, or {@code null}
 * @param createTimestamp the copy's creation time as the service reports it, or {@code null}
 */
public record CopyResult(String sourceBackup, String sourceRegion, String sourceCluster, Instant createTimestamp) {
}
