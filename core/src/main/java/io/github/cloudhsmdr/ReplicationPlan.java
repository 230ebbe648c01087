package io.github.cloudhsmdr;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a replicator would do now, computed by {@link BackupReplicator#plan()} without changing anything:
 * the dry run. {@link BackupReplicator#apply(ReplicationPlan)} carries it out.
 *
 * @param replicatorName the replicator's name (its ownership tag value)
 * @param sourceRegion   the source region
 * @param createdAt      when the plan was made
 * @param destinations   one entry per (cluster, destination region)
 * @param failures       failures that kept whole clusters out of the plan (e.g. the source could not be
 *                       listed), keyed in their messages
 */
public record ReplicationPlan(
        String replicatorName,
        String sourceRegion,
        Instant createdAt,
        List<DestinationPlan> destinations,
        List<Failure> failures) {

    public ReplicationPlan {
        Objects.requireNonNull(replicatorName, "replicatorName");
        Objects.requireNonNull(sourceRegion, "sourceRegion");
        Objects.requireNonNull(createdAt, "createdAt");
        destinations = List.copyOf(destinations);
        failures = List.copyOf(failures);
    }

    /** @return how many copies applying this plan starts. */
    public int copyCount() {
        return destinations.stream().mapToInt(d -> d.toCopy().size()).sum();
    }

    /** @return how many copies retention would delete if the plan were applied now. */
    public int deletionCount() {
        return destinations.stream().mapToInt(d -> d.toDelete().size()).sum();
    }

    /** @return a readable multi-line description of the plan. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("Plan of replicator '").append(replicatorName).append("' from ").append(sourceRegion)
                .append(" at ").append(createdAt).append(": ").append(copyCount()).append(" copies to start, ").append(deletionCount())
                .append(" copies retention would delete\n");
        for (Failure f : failures) {
            sb.append("  FAILED ").append(f.message()).append('\n');
        }
        for (DestinationPlan d : destinations) {
            sb.append("  ").append(d.clusterId()).append(" -> ").append(d.destinationRegion());
            if (d.failed()) {
                sb.append(": FAILED ").append(d.failure().message()).append('\n');
                continue;
            }
            sb.append('\n');
            for (PlannedCopy c : d.items()) {
                sb.append("    ").append(c.action()).append(' ').append(c.sourceBackupId());
                if (c.existingCopyId() != null) {
                    sb.append(" (copy ").append(c.existingCopyId()).append(')');
                }
                sb.append(": ").append(c.reason()).append('\n');
            }
            if (!d.untaggedCopies().isEmpty()) {
                sb.append("    untagged copies (no ownership tag; never deleted, adoptCopies takes ownership): ")
                        .append(String.join(", ", d.untaggedCopies())).append('\n');
            }
            for (RetentionDecision r : d.retention()) {
                sb.append("    retention ").append(r.verdict()).append(' ').append(r.backupId()).append(" (copy of ")
                        .append(r.sourceBackupId()).append("): ").append(String.join("; ", r.reasons())).append('\n');
            }
        }
        return sb.toString();
    }
}
