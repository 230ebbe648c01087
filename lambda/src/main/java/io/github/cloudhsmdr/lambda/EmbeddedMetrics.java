package io.github.cloudhsmdr.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RunStatus;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The CloudWatch Embedded Metric Format (EMF) documents of one invocation: CloudWatch Logs turns each into metric
 * data points, so alarms need no agent and no PutMetricData permission. Written one document per line to the
 * function's stdout.
 *
 * <p>EMF takes each dimension's value from a top-level member of the document, so one document carries one set of
 * dimension values. An invocation therefore writes one <em>run</em> document, dimension {@value #REPLICATOR}, and one
 * <em>recovery point</em> document for each (cluster, region), dimensions {@value #REPLICATOR}, {@value #CLUSTER},
 * {@value #REGION}; all of them in the same write, with the same timestamp.
 *
 * <table>
 *   <caption>Metrics in namespace {@value #NAMESPACE}</caption>
 *   <tr><th>metric</th><th>unit</th><th>dimensions</th><th>value</th></tr>
 *   <tr><td>{@value #SUCCESSFUL_RUNS}</td><td>Count</td><td>Replicator</td><td>1 for a SUCCESS run, else 0</td></tr>
 *   <tr><td>{@value #FAILED_RUNS}</td><td>Count</td><td>Replicator</td><td>1 for a FAILED run, else 0</td></tr>
 *   <tr><td>{@value #PARTIAL_RUNS}</td><td>Count</td><td>Replicator</td><td>1 for a PARTIAL run, else 0</td></tr>
 *   <tr><td>{@value #RUN_DURATION}</td><td>Seconds</td><td>Replicator</td><td>how long the run took</td></tr>
 *   <tr><td>{@value #COPIES}</td><td>Count</td><td>Replicator</td><td>copies started by the run</td></tr>
 *   <tr><td>{@value #DELETIONS}</td><td>Count</td><td>Replicator</td><td>copies retention deleted</td></tr>
 *   <tr><td>{@value #FAILURES}</td><td>Count</td><td>Replicator</td><td>failed items of the run</td></tr>
 *   <tr><td>{@value #OLDEST_AGE}</td><td>Seconds</td><td>Replicator</td><td>the age of the oldest recovery point
 *       (left out when no point has an age)</td></tr>
 *   <tr><td>{@value #WORST_STATUS}</td><td>None</td><td>Replicator</td><td>the worst recovery point status:
 *       0 OK, 1 WARN, 2 CRITICAL, 3 MISSING, 4 UNKNOWN</td></tr>
 *   <tr><td>{@value #AGE}</td><td>Seconds</td><td>Replicator, Cluster, Region</td><td>the recovery point's age
 *       (left out when the region holds none)</td></tr>
 *   <tr><td>{@value #STATUS}</td><td>None</td><td>Replicator, Cluster, Region</td><td>its status, 0 to 4 as
 *       above</td></tr>
 * </table>
 * Non-metric members ({@code RunStatus}, {@code RunId}, {@code RequestId}, {@code RecoveryPointState},
 * {@code BackupId}) can be searched with CloudWatch Logs Insights. Thread-safe.
 */
public final class EmbeddedMetrics {
    /** The metric namespace. */
    public static final String NAMESPACE = "CloudHsmDr";
    /** Dimension: the replicator's name. */
    public static final String REPLICATOR = "Replicator";
    /** Dimension: the source cluster. */
    public static final String CLUSTER = "Cluster";
    /** Dimension: the region a recovery point is in. */
    public static final String REGION = "Region";
    /** 1 when the run's status is SUCCESS, else 0. */
    public static final String SUCCESSFUL_RUNS = "SuccessfulRuns";
    /** 1 when the run's status is FAILED, else 0. */
    public static final String FAILED_RUNS = "FailedRuns";
    /** 1 when the run's status is PARTIAL, else 0. */
    public static final String PARTIAL_RUNS = "PartialRuns";
    /** The run's duration in seconds. */
    public static final String RUN_DURATION = "RunDuration";
    /** Copies the run started. */
    public static final String COPIES = "CopiesStarted";
    /** Copies retention deleted. */
    public static final String DELETIONS = "CopiesDeleted";
    /** Failed items of the run. */
    public static final String FAILURES = "Failures";
    /** The age of the oldest recovery point, in seconds. */
    public static final String OLDEST_AGE = "OldestRecoveryPointAge";
    /** The worst recovery point status, 0 OK to 4 UNKNOWN. */
    public static final String WORST_STATUS = "WorstRecoveryPointStatus";
    /** A recovery point's age in seconds. */
    public static final String AGE = "RecoveryPointAge";
    /** A recovery point's status, 0 OK to 4 UNKNOWN. */
    public static final String STATUS = "RecoveryPointStatus";

    private static final JsonFactory JSON = new JsonFactory();

    /** A writer of EMF documents. */
    public EmbeddedMetrics() {
    }

    /**
     * @param report    the run, or {@code null} when the invocation ran none
     * @param points    the recovery points measured after it
     * @param runId     the run's id, or {@code null}
     * @param requestId the Lambda request id, or {@code null}
     * @return the documents, one JSON object per line, each line ending with a line break
     */
    public String documents(ReplicationReport report, RecoveryPointReport points, String runId, String requestId) {
        Objects.requireNonNull(points, "points");
        Instant at = report != null ? report.finishedAt() : points.measuredAt();
        StringBuilder out = new StringBuilder();

        Document run = new Document(List.of(REPLICATOR));
        run.property(REPLICATOR, points.replicatorName());
        run.property("RunId", runId);
        run.property("RequestId", requestId);
        if (report != null) {
            run.property("RunStatus", report.status().name());
            run.metric(SUCCESSFUL_RUNS, "Count", report.status() == RunStatus.SUCCESS ? 1 : 0);
            run.metric(FAILED_RUNS, "Count", report.status() == RunStatus.FAILED ? 1 : 0);
            run.metric(PARTIAL_RUNS, "Count", report.status() == RunStatus.PARTIAL ? 1 : 0);
            run.metric(RUN_DURATION, "Seconds", report.duration().toMillis() / 1000.0);
            run.metric(COPIES, "Count", report.copied());
            run.metric(DELETIONS, "Count", report.deleted());
            run.metric(FAILURES, "Count", report.failedCount());
        }
        points.points().stream().filter(p -> p.age() != null).mapToLong(p -> p.age().getSeconds()).max()
                .ifPresent(oldest -> run.metric(OLDEST_AGE, "Seconds", oldest));
        run.property("WorstRecoveryPointState", points.worst().name());
        run.metric(WORST_STATUS, "None", points.worst().ordinal());
        run.writeTo(out, at);

        for (RecoveryPoint p : points.points()) {
            Document doc = new Document(List.of(REPLICATOR, CLUSTER, REGION));
            doc.property(REPLICATOR, points.replicatorName());
            doc.property(CLUSTER, p.clusterId());
            doc.property(REGION, p.region());
            doc.property("RunId", runId);
            doc.property("RequestId", requestId);
            doc.property("RecoveryPointState", p.status().name());
            doc.property("BackupId", p.backupId());
            if (p.age() != null) {
                doc.metric(AGE, "Seconds", p.age().getSeconds());
            }
            doc.metric(STATUS, "None", p.status().ordinal());
            doc.writeTo(out, at);
        }
        return out.toString();
    }

    /** One EMF document: its dimension set, its metric declarations and its members, in order. */
    private static final class Document {
        private final List<String> dimensions;
        private final Map<String, String> units = new LinkedHashMap<>();
        private final Map<String, Object> members = new LinkedHashMap<>();

        Document(List<String> dimensions) {
            this.dimensions = dimensions;
        }

        void property(String name, String value) {
            if (value != null) {
                members.put(name, value);
            }
        }

        void metric(String name, String unit, double value) {
            units.put(name, unit);
            members.put(name, value == Math.rint(value) && Math.abs(value) < 1e15 ? (Object) (long) value : value);
        }

        void writeTo(StringBuilder out, Instant at) {
            StringWriter text = new StringWriter();
            try (JsonGenerator g = JSON.createGenerator(text)) {
                g.writeStartObject();
                g.writeObjectFieldStart("_aws");
                g.writeNumberField("Timestamp", at.toEpochMilli());
                g.writeArrayFieldStart("CloudWatchMetrics");
                g.writeStartObject();
                g.writeStringField("Namespace", NAMESPACE);
                g.writeArrayFieldStart("Dimensions");
                g.writeStartArray();
                for (String d : dimensions) {
                    g.writeString(d);
                }
                g.writeEndArray();
                g.writeEndArray();
                g.writeArrayFieldStart("Metrics");
                for (Map.Entry<String, String> m : units.entrySet()) {
                    g.writeStartObject();
                    g.writeStringField("Name", m.getKey());
                    g.writeStringField("Unit", m.getValue());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
                for (Map.Entry<String, Object> m : members.entrySet()) {
                    if (m.getValue() instanceof Long l) {
                        g.writeNumberField(m.getKey(), l);
                    } else if (m.getValue() instanceof Double d) {
                        g.writeNumberField(m.getKey(), d);
                    } else {
                        g.writeStringField(m.getKey(), (String) m.getValue());
                    }
                }
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write an EMF document", e); // in memory: does not happen
            }
            out.append(text).append('\n');
        }
    }
}
