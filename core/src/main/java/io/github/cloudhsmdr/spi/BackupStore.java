package io.github.cloudhsmdr.spi;

import io.github.cloudhsmdr.BackupServiceException;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The port the engine uses to talk to CloudHSM, in this library's own types. Implementations hide
 * pagination and map every service failure to a {@link BackupServiceException} with its
 * {@link io.github.cloudhsmdr.ServiceErrorKind}. Every call names the region it is sent to.
 *
 * <p>Implementations must be thread-safe: the engine calls them from several threads at once.
 */
public interface BackupStore extends AutoCloseable {

    /**
     * Lists every backup in {@code region} that matches {@code filter}, all pages read.
     *
     * @throws BackupServiceException when the service call fails
     */
    List<Backup> describeBackups(String region, BackupFilter filter);

    /**
     * Lists one page of the backups in {@code region} that match {@code filter}, so that a caller can retry a
     * failed page without reading the pages before it again. Pages follow one another through
     * {@link BackupPage#nextToken()}; the union of all pages is what {@link #describeBackups} returns, in no
     * promised order.
     *
     * <p>The default answers everything in one page; stores that talk to a paging service override it.
     *
     * @param nextToken {@code null} for the first page, else the token of the page before
     * @throws BackupServiceException when the service call fails
     */
    default BackupPage describeBackupsPage(String region, BackupFilter filter, String nextToken) {
        if (nextToken != null) {
            throw new IllegalArgumentException("nextToken '" + nextToken + "' is not a token of this store: it "
                    + "answers every listing in one page");
        }
        return new BackupPage(describeBackups(region, filter), null);
    }

    /**
     * The most backups one page of {@link #describeBackupsPage} holds, so the engine can tell what a listing costs
     * and pick the cheaper of a whole listing and a filtered one. The default, {@link Integer#MAX_VALUE}, says a
     * listing is one call whatever its size, as {@link #describeBackupsPage}'s default answers.
     */
    default int maxBackupsPerPage() {
        return Integer.MAX_VALUE;
    }

    /**
     * The most ids ({@link BackupFilter#backupIds()}, {@link BackupFilter#sourceBackupIds()}) one request filters
     * on; a filter with more costs one request per this many. The engine sends larger lookups in parts of this
     * size, side by side. The default, {@link Integer#MAX_VALUE}, says any filter is one request.
     */
    default int maxFilterIdsPerRequest() {
        return Integer.MAX_VALUE;
    }

    /**
     * Starts a copy of {@code backupId} from {@code sourceRegion} to {@code destinationRegion}. When
     * {@code tags} is non-empty, exactly those tags go on the copy; when empty, the service copies the
     * source's tags.
     *
     * @throws BackupServiceException when the service call fails
     */
    CopyResult copyBackupToRegion(String sourceRegion, String backupId, String destinationRegion,
            Map<String, String> tags);

    /**
     * Deletes a backup (it goes to PENDING_DELETION and can be restored for 7 days).
     *
     * @return the backup as the service reports it after the call
     * @throws BackupServiceException when the service call fails
     */
    Backup deleteBackup(String region, String backupId);

    /**
     * Restores a PENDING_DELETION backup to READY.
     *
     * @return the backup as the service reports it after the call
     * @throws BackupServiceException when the service call fails
     */
    Backup restoreBackup(String region, String backupId);

    /**
     * Adds or overwrites tags on a backup or cluster.
     *
     * @throws BackupServiceException when the service call fails
     */
    void tagResource(String region, String resourceId, Map<String, String> tags);

    /**
     * Lists the clusters in {@code region}, all pages read; an empty {@code clusterIds} lists all.
     *
     * @throws BackupServiceException when the service call fails
     */
    List<Cluster> describeClusters(String region, Set<String> clusterIds);

    /**
     * Creates a cluster from a backup (the restore path).
     *
     * @throws BackupServiceException when the service call fails
     */
    Cluster createCluster(CreateClusterRequest request);

    /**
     * Adds an HSM to a cluster (CreateHsm) in {@code availabilityZone}, one of the cluster's subnet mapping.
     *
     * @return the HSM as the service reports it (CREATE_IN_PROGRESS at first)
     * @throws BackupServiceException when the service call fails
     */
    Hsm createHsm(String region, String clusterId, String availabilityZone);

    /**
     * Deletes an HSM of a cluster (DeleteHsm).
     *
     * @throws BackupServiceException when the service call fails
     */
    void deleteHsm(String region, String clusterId, String hsmId);

    /**
     * Deletes a cluster (DeleteCluster); the service refuses while the cluster has HSMs.
     *
     * @return the cluster as the service reports it after the call (DELETE_IN_PROGRESS)
     * @throws BackupServiceException when the service call fails
     */
    Cluster deleteCluster(String region, String clusterId);

    /** Releases what this store created; clients handed in by the caller stay open. */
    @Override
    default void close() {
    }
}
