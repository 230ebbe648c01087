package io.github.cloudhsmdr;

import java.util.List;
import java.util.Objects;

/**
 * The plan for one (source cluster, destination region) pair.
 *
 * @param clusterId         the source cluster
 * @param destinationRegion the destination region
 * @param items             one entry per selected source backup, newest first
 * @param failure           why this pair could not be planned (listing failed), or {@code null}
 * @param retention         retention's decision for each of the cluster's copies in the destination, with
 *                          reasons (empty without a retention policy)
 * @param untaggedCopies    the ids of the copies of this cluster's backups from the source region that lie in the
 *                          destination without this library's ownership tag: never deleted, counted when deciding
 *                          what to copy, and what {@link BackupReplicator#adoptCopies} takes ownership of
 */
public record DestinationPlan(String clusterId, String destinationRegion, List<PlannedCopy> items, Failure failure,
        List<RetentionDecision> retention, List<String> untaggedCopies) {

    public DestinationPlan {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(destinationRegion, "destinationRegion");
        items = List.copyOf(items);
        retention = retention == null ? List.of() : List.copyOf(retention);
        untaggedCopies = untaggedCopies == null ? List.of() : List.copyOf(untaggedCopies);
    }

    /** A plan for a pair without untagged copies. */
    public DestinationPlan(String clusterId, String destinationRegion, List<PlannedCopy> items, Failure failure,
            List<RetentionDecision> retention) {
        this(clusterId, destinationRegion, items, failure, retention, List.of());
    }

    /** A plan for a pair without retention decisions. */
    public DestinationPlan(String clusterId, String destinationRegion, List<PlannedCopy> items, Failure failure) {
        this(clusterId, destinationRegion, items, failure, List.of(), List.of());
    }

    /** @return the copies retention would delete if the run happened now. */
    public List<RetentionDecision> toDelete() {
        return retention.stream().filter(RetentionDecision::deletes).toList();
    }

    /** @return the items that applying the plan copies. */
    public List<PlannedCopy> toCopy() {
        return items.stream().filter(PlannedCopy::copies).toList();
    }

    /** @return true when this pair could not be planned. */
    public boolean failed() {
        return failure != null;
    }
}
