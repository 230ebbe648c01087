package io.github.cloudhsmdr.micrometer;

import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.RecoveryPointStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The health rule of a replicator, shared by health endpoints: a replicator is down when its worst recovery
 * point is CRITICAL, MISSING or UNKNOWN, and up when it is OK or WARN (WARN is for a person to look at, not for
 * a load balancer or an orchestrator to act on). Stateless.
 */
public final class RecoveryPointHealth {
    private RecoveryPointHealth() {
    }

    /**
     * @param status a recovery point status
     * @return true for CRITICAL, MISSING and UNKNOWN
     */
    public static boolean isDown(RecoveryPointStatus status) {
        Objects.requireNonNull(status, "status");
        return status == RecoveryPointStatus.CRITICAL || status == RecoveryPointStatus.MISSING
                || status == RecoveryPointStatus.UNKNOWN;
    }

    /**
     * @param report recovery points as measured
     * @return true when {@link RecoveryPointReport#worst()} is down ({@link #isDown(RecoveryPointStatus)})
     */
    public static boolean isDown(RecoveryPointReport report) {
        return isDown(report.worst());
    }

    /**
     * The details a health endpoint shows: when it was measured, the worst status, the objective, and one entry
     * per {@code "<cluster> <region>"} with the point's status, backup id and age (or why it could not be read).
     *
     * @param report recovery points as measured
     * @return an ordered map of strings and maps, for any JSON writer
     */
    public static Map<String, Object> details(RecoveryPointReport report) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("measuredAt", report.measuredAt().toString());
        details.put("worst", report.worst().name());
        details.put("warnAfter", report.warnAfter().toString());
        details.put("criticalAfter", report.criticalAfter().toString());
        Map<String, Object> points = new LinkedHashMap<>();
        for (RecoveryPoint p : report.points()) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("status", p.status().name());
            if (p.backupId() != null) {
                point.put("backupId", p.backupId());
            }
            if (p.age() != null) {
                point.put("age", p.age().toString());
            }
            if (p.failure() != null) {
                point.put("failure", p.failure().message());
            }
            points.put(p.clusterId() + " " + p.region(), point);
        }
        details.put("points", points);
        if (!report.failures().isEmpty()) {
            details.put("failures", report.failures().stream().map(f -> f.message()).toList());
        }
        return details;
    }
}
