package io.github.cloudhsmdr;

import io.github.cloudhsmdr.internal.CopySanity;
import io.github.cloudhsmdr.internal.CopyLookup;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.CreateClusterRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Restores a cluster in a region from the newest READY backup held there: the helper for the day a region
 * is lost. It finds the backup (a copy of the lost cluster's backups, or the cluster's own backup when it
 * lives in that region), creates the cluster with CreateCluster's SourceBackupId, and lists the manual steps
 * that remain. Thread-safe.
 */
public final class ClusterRestorer {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRestorer.class);

    private final BackupStore store;
    private final Clock clock;

    private ClusterRestorer(BackupStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param store the store to talk to (not closed by the restorer)
     * @param clock the clock used to age backups
     * @return a restorer
     */
    public static ClusterRestorer of(BackupStore store, Clock clock) {
        return new ClusterRestorer(Objects.requireNonNull(store, "store"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Finds the newest READY backup of {@code sourceClusterId} in {@code region}: copies made there from any
     * region, and the cluster's own backups if it lives there. A backup dated more than 15 minutes in the future,
     * or whose provenance tags contradict the service's fields, is never chosen here (name it explicitly to restore
     * it). Reads only.
     *
     * @throws BackupServiceException when the region cannot be listed
     */
    public Optional<Backup> newestRestorable(String region, String sourceClusterId) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(sourceClusterId, "sourceClusterId");
        return CopyLookup.newestReady(store.describeBackups(region, BackupFilter.states(BackupState.READY)),
                b -> sourceClusterId.equals(b.isCopy() ? b.originCluster() : b.clusterId())
                        && CopySanity.believable(b, clock.instant()));
    }

    /**
     * Creates a cluster from the requested backup, or from the newest READY one.
     *
     * @throws IllegalStateException    when the region holds no READY backup of the cluster, or the requested
     *                                  backup is not READY there
     * @throws IllegalArgumentException when the requested backup's provenance names another cluster than the
     *                                  request's {@code sourceClusterId}, or its provenance tags contradict the
     *                                  service's fields; nothing is created then
     * @throws BackupServiceException when a service call fails
     */
    public RestoreResult restore(RestoreRequest request) {
        Objects.requireNonNull(request, "request");
        Backup backup = request.backupId() != null ? requestedBackup(request) : newestRestorable(request.region(),
                request.sourceClusterId()).orElseThrow(() -> new IllegalStateException("no READY backup of "
                + request.sourceClusterId() + " in " + request.region() + ": nothing to restore from there"));
        String hsmType = request.hsmType() != null ? request.hsmType()
                : backup.hsmType() != null ? backup.hsmType() : "hsm2m.medium";
        Cluster cluster = store.createCluster(new CreateClusterRequest(request.region(), backup.backupId(), hsmType,
                request.subnetIds(), request.tags()));
        Duration age = backup.createTimestamp() == null ? null
                : Duration.between(backup.createTimestamp(), clock.instant());
        String origin = backup.isCopy() ? backup.originCluster() : backup.clusterId();
        LOG.info("Restore started region={} cluster={} fromBackup={} sourceCluster={} dataAge={}", request.region(),
                cluster.clusterId(), backup.backupId(), origin, age);
        return new RestoreResult(cluster, backup, age, List.of(
                "Wait until cluster " + cluster.clusterId() + " leaves CREATE_IN_PROGRESS (DescribeClusters).",
                "Add an HSM to it (CreateHsm); do NOT initialize or activate the cluster: the HSM receives the "
                        + "backup's users, keys and configuration.",
                "Clients trust the HSMs through the customer CA certificate of the ORIGINAL cluster " + origin
                        + "; install that trust anchor, not one for " + cluster.clusterId() + ".",
                "Point clients (PKCS#11, JCE, OpenSSL, KSP/CNG) at the new cluster's HSM ENI addresses and "
                        + "reconnect key stores (e.g. a KMS custom key store) to " + cluster.clusterId() + ".",
                "Keys created or deleted after " + backup.createTimestamp() + " are not in this backup."));
    }

    private Backup requestedBackup(RestoreRequest request) {
        List<Backup> found = store.describeBackups(request.region(), BackupFilter.backupIds(List.of(request.backupId())));
        Backup b = found.stream().filter(x -> x.backupId().equals(request.backupId())).findFirst()
                .orElseThrow(() -> new IllegalStateException("backup " + request.backupId() + " not found in "
                        + request.region()));
        if (b.state() != BackupState.READY) {
            throw new IllegalStateException("backup " + b.backupId() + " in " + request.region() + " is " + b.state()
                    + ": only a READY backup can be restored");
        }
        if (request.sourceClusterId() != null) {
            CopySanity.requireProvenance(b, request.sourceClusterId());
        }
        return b;
    }
}
