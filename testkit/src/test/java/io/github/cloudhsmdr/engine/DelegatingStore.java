package io.github.cloudhsmdr.engine;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupPage;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.CopyResult;
import io.github.cloudhsmdr.spi.CreateClusterRequest;
import io.github.cloudhsmdr.spi.Hsm;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A store that passes every call on; override what a test changes. */
class DelegatingStore implements BackupStore {
    final BackupStore delegate;

    DelegatingStore(BackupStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<Backup> describeBackups(String region, BackupFilter filter) {
        return delegate.describeBackups(region, filter);
    }

    @Override
    public BackupPage describeBackupsPage(String region, BackupFilter filter,
            String nextToken) {
        return delegate.describeBackupsPage(region, filter, nextToken);
    }

    @Override
    public CopyResult copyBackupToRegion(String sourceRegion, String backupId, String destinationRegion,
            Map<String, String> tags) {
        return delegate.copyBackupToRegion(sourceRegion, backupId, destinationRegion, tags);
    }

    @Override
    public Backup deleteBackup(String region, String backupId) {
        return delegate.deleteBackup(region, backupId);
    }

    @Override
    public Backup restoreBackup(String region, String backupId) {
        return delegate.restoreBackup(region, backupId);
    }

    @Override
    public void tagResource(String region, String resourceId, Map<String, String> tags) {
        delegate.tagResource(region, resourceId, tags);
    }

    @Override
    public List<Cluster> describeClusters(String region, Set<String> clusterIds) {
        return delegate.describeClusters(region, clusterIds);
    }

    @Override
    public Cluster createCluster(CreateClusterRequest request) {
        return delegate.createCluster(request);
    }

    @Override
    public Hsm createHsm(String region, String clusterId, String availabilityZone) {
        return delegate.createHsm(region, clusterId, availabilityZone);
    }

    @Override
    public void deleteHsm(String region, String clusterId, String hsmId) {
        delegate.deleteHsm(region, clusterId, hsmId);
    }

    @Override
    public Cluster deleteCluster(String region, String clusterId) {
        return delegate.deleteCluster(region, clusterId);
    }
}
