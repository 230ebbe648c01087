package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The clusters a replicator works on: the configured ones, or every cluster found in the source region. */
final class SourceClusters {
    private static final Logger LOG = LoggerFactory.getLogger(SourceClusters.class);

    private SourceClusters() {
    }

    /**
     * The clusters to work on and the configured ones the source region does not have.
     *
     * @param present the clusters that exist in the source region (configured or discovered), sorted when
     *                discovered
     * @param missing configured clusters the source region does not list, each with its failure
     */
    record Resolved(List<String> present, Map<String, Failure> missing) {
    }

    /**
     * @return the cluster ids, and the configured ones the source region does not have; when the source cannot
     *         be listed, the configured clusters are all taken as present (their backups' listing tells)
     * @throws CallFailedException when discovery fails
     */
    static Resolved resolve(ReplicatorConfig config, StoreCalls calls) {
        String source = config.sourceRegion();
        if (!config.clusterIds().isEmpty()) {
            Set<String> listed;
            try {
                listed = calls.describeClusters(source).stream().filter(SourceClusters::exists).map(Cluster::clusterId)
                        .collect(Collectors.toSet());
            } catch (CallFailedException e) {
                LOG.debug("Checking the configured clusters failed region={}: {}", source, e.failure().message());
                return new Resolved(new ArrayList<>(config.clusterIds()), Map.of());
            }
            List<String> present = new ArrayList<>();
            Map<String, Failure> missing = new LinkedHashMap<>();
            for (String id : config.clusterIds()) {
                if (listed.contains(id)) {
                    present.add(id);
                } else {
                    missing.put(id, new Failure(ServiceErrorKind.RESOURCE_NOT_FOUND, "DescribeClusters",
                            "no cluster " + id + " in " + source + ": check clusterIds and sourceRegion", 1));
                }
            }
            return new Resolved(present, missing);
        }
        List<String> ids = calls.describeClusters(source).stream().filter(SourceClusters::exists)
                .map(Cluster::clusterId).sorted()
                .collect(Collectors.toList());
        LOG.debug("Discovered clusters replicator={} region={} clusters={}", config.name(), source, ids);
        return new Resolved(ids, Map.of());
    }

    /**
     * A cluster being deleted (DELETE_IN_PROGRESS) or deleted (still listed for a while) protects nothing any more:
     * it makes no new backups, and its copies are what is left.
     */
    private static boolean exists(Cluster c) {
        return !"DELETED".equals(c.state()) && !"DELETE_IN_PROGRESS".equals(c.state());
    }

    /** @return the failure of a discovery that found no cluster at all. */
    static Failure noneFound(String source) {
        return new Failure(ServiceErrorKind.RESOURCE_NOT_FOUND, "DescribeClusters",
                "no clusters in " + source + ": nothing is protected", 1);
    }
}
