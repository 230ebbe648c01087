package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.DestinationPlan;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.RetentionDecision;

/**
 * Keeps {@code apply(plan)} and {@code undoDeletions(report)} inside what the replicator is configured for: a plan or
 * report that names another replicator, source region, destination region or cluster is refused before any call,
 * so a hand-made or mixed-up plan can never copy, delete or restore anything the replicator does not manage.
 */
final class ConfiguredScope {
    private ConfiguredScope() {
    }

    /**
     * @throws IllegalArgumentException naming the first destination region or cluster of {@code plan} (or of one of
     *                                  its retention decisions) that the replicator is not configured for
     */
    static void checkPlan(ReplicatorConfig config, ReplicationPlan plan) {
        for (DestinationPlan pair : plan.destinations()) {
            checkRegion(config, "plan", pair.destinationRegion());
            if (!config.clusterIds().isEmpty() && !config.clusterIds().contains(pair.clusterId())) {
                throw new IllegalArgumentException("plan names cluster '" + pair.clusterId() + "', which replicator '"
                        + config.name() + "' is not configured for (clusterIds " + config.clusterIds()
                        + "): make the plan with this replicator's plan()");
            }
            for (RetentionDecision d : pair.retention()) {
                boolean otherCluster = d.sourceCluster() != null && !d.sourceCluster().equals(pair.clusterId());
                if (!d.destinationRegion().equals(pair.destinationRegion()) || otherCluster) {
                    throw new IllegalArgumentException("plan for cluster '" + pair.clusterId() + "' in "
                            + pair.destinationRegion() + " holds a retention decision for backup '" + d.backupId()
                            + "' of cluster '" + d.sourceCluster() + "' in " + d.destinationRegion()
                            + ": a pair's decisions must be about that pair");
                }
            }
        }
    }

    /**
     * @throws IllegalArgumentException when {@code report} was made by another replicator or for another source
     *                                  region, or names a deletion in a region the replicator is not configured for
     */
    static void checkReport(ReplicatorConfig config, ReplicationReport report) {
        if (!report.replicatorName().equals(config.name()) || !report.sourceRegion().equals(config.sourceRegion())) {
            throw new IllegalArgumentException("report was made by replicator '" + report.replicatorName() + "' for "
                    + report.sourceRegion() + ", not by this replicator '" + config.name() + "' for "
                    + config.sourceRegion() + ": undo it with the replicator that made it");
        }
        for (Deletion d : (Iterable<Deletion>) report.deletions()::iterator) {
            checkRegion(config, "report", d.region());
        }
    }

    private static void checkRegion(ReplicatorConfig config, String what, String region) {
        if (!config.destinationRegions().contains(region)) {
            throw new IllegalArgumentException(what + " names destination region '" + region + "', which replicator '"
                    + config.name() + "' is not configured for (destinationRegions " + config.destinationRegions()
                    + ")");
        }
    }
}
