package io.github.cloudhsmdr.testkit;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.aws.AwsErrorCodes;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupPage;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.CopyResult;
import io.github.cloudhsmdr.spi.CreateClusterRequest;
import io.github.cloudhsmdr.spi.Hsm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The {@link BackupStore} port served straight from a {@link CloudHsmModel}, for fast tests of the
 * engine. It pages like the AWS adapter (50 backups a page) and maps model errors to
 * {@link BackupServiceException} with the same classification. Thread-safe.
 */
public final class InMemoryBackupStore implements BackupStore {
    private final CloudHsmModel model;
    private final AtomicLong calls = new AtomicLong();

    /** @param model the model to serve */
    public InMemoryBackupStore(CloudHsmModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** @return the model behind this store. */
    public CloudHsmModel model() {
        return model;
    }

    /** @return how many service calls (pages included) this store has made. */
    public long calls() {
        return calls.get();
    }

    @Override
    public List<Backup> describeBackups(String region, BackupFilter filter) {
        List<Backup> all = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            CloudHsmModel.BackupPage page = call("DescribeBackups", region, null,
                    () -> model.describeBackups(region, filter, Boolean.TRUE, CloudHsmModel.MAX_BACKUPS_PAGE, t));
            all.addAll(page.backups());
            token = page.nextToken();
        } while (token != null);
        return all;
    }

    @Override
    public BackupPage describeBackupsPage(String region, BackupFilter filter, String nextToken) {
        CloudHsmModel.BackupPage page = call("DescribeBackups", region, null,
                () -> model.describeBackups(region, filter, Boolean.TRUE, CloudHsmModel.MAX_BACKUPS_PAGE, nextToken));
        return new BackupPage(page.backups(), page.nextToken());
    }

    @Override
    public CopyResult copyBackupToRegion(String sourceRegion, String backupId, String destinationRegion,
            Map<String, String> tags) {
        return call("CopyBackupToRegion", sourceRegion, backupId,
                () -> model.copyBackupToRegion(sourceRegion, backupId, destinationRegion, tags));
    }

    @Override
    public Backup deleteBackup(String region, String backupId) {
        return call("DeleteBackup", region, backupId, () -> model.deleteBackup(region, backupId));
    }

    @Override
    public Backup restoreBackup(String region, String backupId) {
        return call("RestoreBackup", region, backupId, () -> model.restoreBackup(region, backupId));
    }

    @Override
    public void tagResource(String region, String resourceId, Map<String, String> tags) {
        call("TagResource", region, resourceId, () -> {
            model.tagResource(region, resourceId, tags);
            return null;
        });
    }

    @Override
    public List<Cluster> describeClusters(String region, Set<String> clusterIds) {
        List<Cluster> all = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            CloudHsmModel.ClusterPage page = call("DescribeClusters", region, null,
                    () -> model.describeClusters(region, clusterIds, CloudHsmModel.MAX_CLUSTERS_PAGE, t));
            all.addAll(page.clusters());
            token = page.nextToken();
        } while (token != null);
        return all;
    }

    @Override
    public Cluster createCluster(CreateClusterRequest request) {
        return call("CreateCluster", request.region(), request.sourceBackupId(),
                () -> model.createCluster(request.region(), request.sourceBackupId(), request.hsmType(),
                        request.subnetIds(), request.tags()));
    }

    @Override
    public Hsm createHsm(String region, String clusterId, String availabilityZone) {
        return call("CreateHsm", region, clusterId, () -> model.createHsm(region, clusterId, availabilityZone));
    }

    @Override
    public void deleteHsm(String region, String clusterId, String hsmId) {
        call("DeleteHsm", region, clusterId, () -> model.deleteHsm(region, clusterId, hsmId));
    }

    @Override
    public Cluster deleteCluster(String region, String clusterId) {
        return call("DeleteCluster", region, clusterId, () -> model.deleteCluster(region, clusterId));
    }

    private <T> T call(String operation, String region, String resourceId, Supplier<T> body) {
        calls.incrementAndGet();
        try {
            return body.get();
        } catch (CloudHsmModelException e) {
            throw new BackupServiceException(AwsErrorCodes.kindOf(e.errorCode(), e.httpStatus()),
                    operation, region, resourceId, e.errorCode(), e.getMessage(), e);
        }
    }
}
