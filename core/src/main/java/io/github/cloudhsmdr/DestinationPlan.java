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
 */
public record DestinationPlan(String clusterId, String destinationRegion, List<PlannedCopy> items, Failure failure) {

    public DestinationPlan {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(destinationRegion, "destinationRegion");
        items = List.copyOf(items);
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
