package io.github.cloudhsmdr;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The recovery points every region holds for every cluster of a replicator, measured at one instant
 * against the objective's warning and critical ages.
 *
 * @param replicatorName the replicator's name
 * @param measuredAt     when it was measured
 * @param warnAfter      age after which a recovery point is WARN
 * @param criticalAfter  age after which a recovery point is CRITICAL
 * @param points         one per (cluster, region), the source region included
 * @param failures       failures that kept whole clusters out of the measurement
 * @param notes          what an operator must know on the day of a disaster, one line each: a source region that
 *                       cannot be read and where the best restore point of each cluster is, a source cluster that
 *                       no longer exists and its newest copy, nothing to measure
 */
public record RecoveryPointReport(
        String replicatorName,
        Instant measuredAt,
        Duration warnAfter,
        Duration criticalAfter,
        List<RecoveryPoint> points,
        List<Failure> failures,
        List<String> notes) {

    public RecoveryPointReport {
        Objects.requireNonNull(replicatorName, "replicatorName");
        Objects.requireNonNull(measuredAt, "measuredAt");
        points = List.copyOf(points);
        failures = List.copyOf(failures);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A report without notes. */
    public RecoveryPointReport(String replicatorName, Instant measuredAt, Duration warnAfter, Duration criticalAfter,
            List<RecoveryPoint> points, List<Failure> failures) {
        this(replicatorName, measuredAt, warnAfter, criticalAfter, points, failures, List.of());
    }

    /**
     * @return the worst status over all points: UNKNOWN when a cluster could not be measured at all, and when
     *         there was nothing to measure (never OK for an empty measurement)
     */
    public RecoveryPointStatus worst() {
        RecoveryPointStatus worst = failures.isEmpty() && !points.isEmpty() ? RecoveryPointStatus.OK
                : RecoveryPointStatus.UNKNOWN;
        for (RecoveryPoint p : points) {
            if (rank(p.status()) > rank(worst)) {
                worst = p.status();
            }
        }
        return worst;
    }

    private static int rank(RecoveryPointStatus s) {
        return switch (s) {
            case OK -> 0;
            case WARN -> 1;
            case UNKNOWN -> 2;
            case CRITICAL -> 3;
            case MISSING -> 4;
        };
    }

    /** @return a readable table, one line per (cluster, region). */
    public String describe() {
        StringBuilder sb = new StringBuilder("Recovery points of replicator '").append(replicatorName)
                .append("' at ").append(measuredAt).append(" (warn after ").append(warnAfter)
                .append(", critical after ").append(criticalAfter).append("): ").append(worst()).append('\n');
        for (Failure f : failures) {
            sb.append("  FAILED ").append(f.message()).append('\n');
        }
        for (String n : notes) {
            sb.append("  NOTE ").append(n).append('\n');
        }
        for (RecoveryPoint p : points) {
            sb.append("  ").append(p.clusterId()).append(' ').append(p.region()).append(p.source() ? " (source)" : "")
                    .append(": ").append(p.status());
            if (p.backupId() != null) {
                sb.append(' ').append(p.backupId()).append(" age ").append(p.age());
            }
            if (p.behindSource() != null && !p.source()) {
                sb.append(", behind source ").append(p.behindSource());
            }
            if (p.failure() != null) {
                sb.append(": ").append(p.failure().message());
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
