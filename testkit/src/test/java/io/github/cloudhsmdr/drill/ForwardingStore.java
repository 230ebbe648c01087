package io.github.cloudhsmdr.drill;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.CopyResult;
import io.github.cloudhsmdr.spi.CreateClusterRequest;
import io.github.cloudhsmdr.spi.Hsm;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A store that forwards to another and can misbehave: rewrite what DescribeClusters shows, lose the answer of
 * CreateCluster, or die like a killed process (every later call fails before it reaches the service).
 */
final class ForwardingStore implements BackupStore {
    private final BackupStore delegate;
    volatile UnaryOperator<Cluster> clusterView = UnaryOperator.identity();
    volatile boolean loseCreateClusterAnswer;
    volatile boolean dieAfterCreateHsm;
    volatile boolean dead;

    ForwardingStore(BackupStore delegate) {
        this.delegate = delegate;
    }

    private void alive(String operation, String region) {
        if (dead) {
            throw new IllegalStateException("the process was killed: " + operation + " in " + region + " never sent");
        }
    }

    @Override
    public List<Backup> describeBackups(String region, BackupFilter filter) {
        alive("DescribeBackups", region);
        return delegate.describeBackups(region, filter);
    }

    @Override
    public CopyResult copyBackupToRegion(String sourceRegion, String backupId, String destinationRegion,
            Map<String, String> tags) {
        alive("CopyBackupToRegion", sourceRegion);
        return delegate.copyBackupToRegion(sourceRegion, backupId, destinationRegion, tags);
    }

    @Override
    public Backup deleteBackup(String region, String backupId) {
        alive("DeleteBackup", region);
        return delegate.deleteBackup(region, backupId);
    }

    @Override
    public Backup restoreBackup(String region, String backupId) {
        alive("RestoreBackup", region);
        return delegate.restoreBackup(region, backupId);
    }

    @Override
    public void tagResource(String region, String resourceId, Map<String, String> tags) {
        alive("TagResource", region);
        delegate.tagResource(region, resourceId, tags);
    }

    @Override
    public List<Cluster> describeClusters(String region, Set<String> clusterIds) {
        alive("DescribeClusters", region);
        return delegate.describeClusters(region, clusterIds).stream().map(clusterView).toList();
    }

    @Override
    public Cluster createCluster(CreateClusterRequest request) {
        alive("CreateCluster", request.region());
        Cluster c = delegate.createCluster(request);
        if (loseCreateClusterAnswer) {
            throw new BackupServiceException(ServiceErrorKind.NETWORK, "CreateCluster", request.region(),
                    request.sourceBackupId(), null, "Read timed out (the cluster was created)", null);
        }
        return c;
    }

    @Override
    public Hsm createHsm(String region, String clusterId, String availabilityZone) {
        alive("CreateHsm", region);
        Hsm h = delegate.createHsm(region, clusterId, availabilityZone);
        if (dieAfterCreateHsm) {
            dead = true;
        }
        return h;
    }

    @Override
    public void deleteHsm(String region, String clusterId, String hsmId) {
        alive("DeleteHsm", region);
        delegate.deleteHsm(region, clusterId, hsmId);
    }

    @Override
    public Cluster deleteCluster(String region, String clusterId) {
        alive("DeleteCluster", region);
        return delegate.deleteCluster(region, clusterId);
    }
}
