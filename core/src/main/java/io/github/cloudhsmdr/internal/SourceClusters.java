package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.spi.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The clusters a replicator works on: the configured ones, or every cluster found in the source region. */
final class SourceClusters {
    private static final Logger LOG = LoggerFactory.getLogger(SourceClusters.class);

    private SourceClusters() {
    }

    /**
     * @return the cluster ids, sorted when discovered
     * @throws CallFailedException when discovery fails
     */
    static List<String> resolve(ReplicatorConfig config, StoreCalls calls) {
        if (!config.clusterIds().isEmpty()) {
            return new ArrayList<>(config.clusterIds());
        }
        String source = config.sourceRegion();
        List<String> ids = calls.describeClusters(source).stream().map(Cluster::clusterId).sorted().collect(Collectors.toList());
        LOG.debug("Discovered clusters replicator={} region={} clusters={}", config.name(), source, ids);
        return ids;
    }
}
