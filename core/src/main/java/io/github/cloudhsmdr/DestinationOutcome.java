package io.github.cloudhsmdr;

import java.util.List;
import java.util.Objects;

/**
 * What a run did for one (source cluster, destination region) pair.
 *
 * @param clusterId         the source cluster
 * @param destinationRegion the destination region
 * @param status            SUCCESS when nothing failed, FAILED when nothing could be done, else PARTIAL
 * @param copies            one outcome per selected source backup
 * @param failure           why the whole pair failed (e.g. listing the destination failed), or {@code null}
 */
public record DestinationOutcome(
        String clusterId, String destinationRegion, RunStatus status, List<CopyOutcome> copies, Failure failure) {

    public DestinationOutcome {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(destinationRegion, "destinationRegion");
        Objects.requireNonNull(status, "status");
        copies = List.copyOf(copies);
    }

    /** @return how many of this pair's outcomes have the given action. */
    public long count(CopyAction action) {
        return copies.stream().filter(c -> c.action() == action).count();
    }
}
