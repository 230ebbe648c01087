package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.Cluster;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything retention needs to know about one destination region: every backup there (all states) and the
 * clusters that live there, whose backups are never touched.
 *
 * @param backups         every backup in the region
 * @param localClusterIds the clusters that live in the region
 */
record Inventory(List<Backup> backups, Set<String> localClusterIds) {

    /** @throws CallFailedException when a listing fails */
    static Inventory read(StoreCalls calls, String region) {
        List<Backup> backups = calls.listBackups(region, null, BackupFilter.ALL);
        Set<String> clusters = calls.describeClusters(region).stream().map(Cluster::clusterId).collect(Collectors.toSet());
        return new Inventory(backups, clusters);
    }
}
