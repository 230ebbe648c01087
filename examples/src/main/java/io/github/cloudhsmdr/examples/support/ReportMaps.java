package io.github.cloudhsmdr.examples.support;

import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.DestinationPlan;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.PlannedCopy;
import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RestoreResult;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans, reports, recovery points and restore results as plain maps (strings, numbers, booleans, lists and
 * maps only, in a stable order): what the CLI prints with {@code --json}.
 * Instants are ISO-8601 strings, durations ISO-8601 ({@code PT27H}); absent values are left out.
 */
public final class ReportMaps {
    private ReportMaps() {
    }

    /**
     * @param report    the report
     * @param withItems true to list every copy outcome of every pair, false for per-pair counts only
     * @return {@code replicator, sourceRegion, status, startedAt, finishedAt, duration, counts, pairs, failures}
     */
    public static Map<String, Object> report(ReplicationReport report, boolean withItems) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("replicator", report.replicatorName());
        m.put("sourceRegion", report.sourceRegion());
        m.put("status", report.status().name());
        putIfPresent(m, "runId", report.runId().isEmpty() ? null : report.runId());
        m.put("startedAt", text(report.startedAt()));
        m.put("finishedAt", text(report.finishedAt()));
        m.put("duration", text(report.duration()));
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("pairs", report.outcomes().size());
        counts.put("copied", report.copied());
        counts.put("alreadyPresent", report.count(CopyAction.ALREADY_PRESENT));
        counts.put("inProgress", report.count(CopyAction.IN_PROGRESS));
        counts.put("notReady", report.count(CopyAction.NOT_READY));
        counts.put("skipped", report.count(CopyAction.SKIPPED));
        counts.put("sourceGone", report.count(CopyAction.SOURCE_GONE));
        counts.put("deleted", report.deleted());
        counts.put("failed", report.failedCount());
        counts.put("untagged", report.untaggedCopies());
        m.put("counts", counts);
        List<Object> pairs = new ArrayList<>();
        for (DestinationOutcome o : report.outcomes()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("clusterId", o.clusterId());
            p.put("destinationRegion", o.destinationRegion());
            p.put("status", o.status().name());
            p.put("copied", o.count(CopyAction.COPIED));
            p.put("failed", o.count(CopyAction.FAILED) + (o.failure() != null ? 1 : 0)
                    + o.deletions().stream().filter(d -> !d.succeeded()).count());
            p.put("deleted", o.deletions().stream().filter(Deletion::succeeded).count());
            p.put("untaggedCopies", o.untaggedCopies());
            if (!o.reasons().isEmpty()) {
                p.put("reasons", o.reasons());
            }
            if (withItems) {
                List<Object> items = new ArrayList<>();
                for (CopyOutcome c : o.copies()) {
                    Map<String, Object> i = new LinkedHashMap<>();
                    i.put("sourceBackupId", c.sourceBackupId());
                    i.put("action", c.action().name());
                    putIfPresent(i, "createTimestamp", text(c.createTimestamp()));
                    putIfPresent(i, "destinationBackupId", c.destinationBackupId());
                    putIfPresent(i, "destinationState", c.destinationState() == null ? null : c.destinationState().name());
                    putIfPresent(i, "detail", c.detail().isEmpty() ? null : c.detail());
                    putIfPresent(i, "failure", c.failure() == null ? null : failure(c.failure()));
                    items.add(i);
                }
                p.put("items", items);
                List<Object> deletions = new ArrayList<>();
                for (Deletion d : o.deletions()) {
                    Map<String, Object> i = new LinkedHashMap<>();
                    i.put("backupId", d.backupId());
                    putIfPresent(i, "sourceBackupId", d.sourceBackupId());
                    i.put("verdict", d.verdict().name());
                    i.put("deleted", d.succeeded());
                    putIfPresent(i, "deleteTimestamp", text(d.deleteTimestamp()));
                    i.put("reasons", d.reasons());
                    putIfPresent(i, "failure", d.failure() == null ? null : failure(d.failure()));
                    deletions.add(i);
                }
                p.put("deletions", deletions);
            }
            putIfPresent(p, "retentionNote", o.retentionNote().isEmpty() ? null : o.retentionNote());
            putIfPresent(p, "failure", o.failure() == null ? null : failure(o.failure()));
            pairs.add(p);
        }
        m.put("pairs", pairs);
        m.put("failures", failures(report.allFailures()));
        return m;
    }

    /** @return {@code replicator, sourceRegion, createdAt, copies, pairs (with items), failures}. */
    public static Map<String, Object> plan(ReplicationPlan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("replicator", plan.replicatorName());
        m.put("sourceRegion", plan.sourceRegion());
        m.put("createdAt", text(plan.createdAt()));
        m.put("copies", plan.copyCount());
        m.put("deletions", plan.deletionCount());
        List<Object> pairs = new ArrayList<>();
        List<Failure> all = new ArrayList<>(plan.failures());
        for (DestinationPlan d : plan.destinations()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("clusterId", d.clusterId());
            p.put("destinationRegion", d.destinationRegion());
            List<Object> items = new ArrayList<>();
            for (PlannedCopy c : d.items()) {
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("sourceBackupId", c.sourceBackupId());
                i.put("action", c.action().name());
                putIfPresent(i, "createTimestamp", text(c.createTimestamp()));
                putIfPresent(i, "existingCopyId", c.existingCopyId());
                i.put("reason", c.reason());
                items.add(i);
            }
            p.put("items", items);
            List<Object> retention = new ArrayList<>();
            for (RetentionDecision r : d.retention()) {
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("backupId", r.backupId());
                putIfPresent(i, "sourceBackupId", r.sourceBackupId());
                putIfPresent(i, "createTimestamp", text(r.createTimestamp()));
                i.put("state", r.state().name());
                i.put("verdict", r.verdict().name());
                i.put("reasons", r.reasons());
                retention.add(i);
            }
            p.put("retention", retention);
            if (!d.untaggedCopies().isEmpty()) {
                p.put("untaggedCopies", d.untaggedCopies());
            }
            if (d.failed()) {
                p.put("failure", failure(d.failure()));
                all.add(d.failure());
            }
            pairs.add(p);
        }
        m.put("pairs", pairs);
        m.put("failures", failures(all));
        return m;
    }

    /** @return {@code replicator, measuredAt, warnAfter, criticalAfter, worst, points, failures}. */
    public static Map<String, Object> recoveryPoints(RecoveryPointReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("replicator", report.replicatorName());
        m.put("measuredAt", text(report.measuredAt()));
        m.put("warnAfter", text(report.warnAfter()));
        m.put("criticalAfter", text(report.criticalAfter()));
        m.put("worst", report.worst().name());
        List<Object> points = new ArrayList<>();
        for (RecoveryPoint p : report.points()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("clusterId", p.clusterId());
            i.put("region", p.region());
            i.put("source", p.source());
            i.put("status", p.status().name());
            putIfPresent(i, "backupId", p.backupId());
            putIfPresent(i, "createTimestamp", text(p.createTimestamp()));
            putIfPresent(i, "age", text(p.age()));
            putIfPresent(i, "copyLag", text(p.copyLag()));
            putIfPresent(i, "behindSource", text(p.behindSource()));
            putIfPresent(i, "failure", p.failure() == null ? null : failure(p.failure()));
            points.add(i);
        }
        m.put("points", points);
        if (!report.notes().isEmpty()) {
            m.put("notes", report.notes());
        }
        m.put("failures", failures(report.failures()));
        return m;
    }

    /** @return {@code clusterId, region, state, fromBackupId, sourceCluster, dataAge, nextSteps}. */
    public static Map<String, Object> restore(RestoreResult result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clusterId", result.cluster().clusterId());
        m.put("region", result.cluster().region());
        putIfPresent(m, "state", result.cluster().state());
        putIfPresent(m, "hsmType", result.cluster().hsmType());
        m.put("fromBackupId", result.backup().backupId());
        putIfPresent(m, "sourceCluster", result.backup().isCopy() ? result.backup().sourceCluster()
                : result.backup().clusterId());
        putIfPresent(m, "backupCreateTimestamp", text(result.backup().createTimestamp()));
        putIfPresent(m, "dataAge", text(result.dataAge()));
        m.put("nextSteps", result.nextSteps());
        return m;
    }

    /** @return {@code kind, transient, operation, message, attempts}. */
    public static Map<String, Object> failure(Failure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", f.kind().name());
        m.put("transient", f.isTransient());
        putIfPresent(m, "operation", f.operation());
        m.put("message", f.message());
        m.put("attempts", f.attempts());
        return m;
    }

    private static List<Object> failures(List<Failure> failures) {
        List<Object> out = new ArrayList<>();
        failures.forEach(f -> out.add(failure(f)));
        return out;
    }

    private static void putIfPresent(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    private static String text(Duration d) {
        return d == null ? null : d.toString();
    }
}
