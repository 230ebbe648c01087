package io.github.cloudhsmdr.drill;

import java.util.List;
import java.util.Objects;

/**
 * The teardown of one drill cluster: the drill's own, or a leftover of an earlier drill.
 *
 * @param region      the cluster's region
 * @param clusterId   the cluster
 * @param drillId     the drill that created it (its {@link RestoreDrill#DRILL_ID_TAG} tag), or {@code null}
 * @param hsmsDeleted the HSMs deleted
 * @param completed   true when the cluster is DELETED, or DELETE_IN_PROGRESS at the deadline
 * @param problems    what went wrong, in order (failed calls that were retried included)
 */
public record Teardown(String region, String clusterId, String drillId, List<String> hsmsDeleted, boolean completed,
        List<String> problems) {

    public Teardown {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(clusterId, "clusterId");
        hsmsDeleted = List.copyOf(hsmsDeleted);
        problems = List.copyOf(problems);
    }

    /** @return one line: the cluster, what was deleted, and the problems */
    public String describe() {
        return clusterId + " in " + region + (drillId == null ? "" : " (drill " + drillId + ")") + ": "
                + (completed ? "deleted" : "NOT deleted") + (hsmsDeleted.isEmpty() ? "" : ", HSMs " + hsmsDeleted)
                + (problems.isEmpty() ? "" : "; " + String.join("; ", problems));
    }
}
