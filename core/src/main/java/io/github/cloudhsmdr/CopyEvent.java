package io.github.cloudhsmdr;

/**
 * Names one copy of one source backup to one destination region, for listener events.
 *
 * @param replicatorName    the replicator's name
 * @param clusterId         the source cluster
 * @param sourceRegion      the source region
 * @param sourceBackupId    the source backup
 * @param destinationRegion the destination region
 */
public record CopyEvent(
        String replicatorName, String clusterId, String sourceRegion, String sourceBackupId, String destinationRegion) {
}
