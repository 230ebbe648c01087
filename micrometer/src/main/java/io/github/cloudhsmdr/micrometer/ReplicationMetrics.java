package io.github.cloudhsmdr.micrometer;

import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.RecoveryPointStatus;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetryEvent;
import io.github.cloudhsmdr.RunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Micrometer meters of one {@link io.github.cloudhsmdr.BackupReplicator}: a {@link ReplicationListener} that
 * records what the replicator reports, and a {@link MeterBinder} that puts the meters on any
 * {@link MeterRegistry} (Prometheus, CloudWatch, OTLP, ...). Names follow Micrometer's conventions (dotted, lower
 * case, base units) so each registry renders them in its own style: {@value #RECOVERY_POINT_AGE} becomes
 * {@code cloudhsm_dr_recovery_point_age_seconds} in Prometheus.
 *
 * <pre>{@code
 * ReplicationMetrics metrics = ReplicationMetrics.of("prod-dr");
 * BackupReplicator replicator = BackupReplicator.builder().name("prod-dr")...listener(metrics).build();
 * metrics.bindTo(meterRegistry);                                  // before the first run
 * ReplicationTask task = ReplicationTask.of(replicator);         // measures recovery points after every run
 * }</pre>
 *
 * <table>
 *   <caption>Meters; every one is tagged {@code replicator}</caption>
 *   <tr><th>name</th><th>type</th><th>more tags</th><th>what</th></tr>
 *   <tr><td>{@value #RECOVERY_POINT_AGE}</td><td>time gauge (s)</td><td>cluster, region, role</td>
 *       <td>age of the newest READY backup (source) or copy (destination) the region holds; NaN when MISSING or
 *       UNKNOWN</td></tr>
 *   <tr><td>{@value #RECOVERY_POINT_STATUS}</td><td>gauge</td><td>cluster, region, role</td>
 *       <td>0 OK, 1 WARN, 2 CRITICAL, 3 MISSING, 4 UNKNOWN ({@link #statusCode(RecoveryPointStatus)})</td></tr>
 *   <tr><td>{@value #RECOVERY_POINT_WORST_STATUS}</td><td>gauge</td><td></td>
 *       <td>the status code of {@link RecoveryPointReport#worst()}</td></tr>
 *   <tr><td>{@value #RECOVERY_POINT_OBJECTIVE}</td><td>time gauge (s)</td><td>level (warn, critical)</td>
 *       <td>the objective the points are measured against, for alert rules</td></tr>
 *   <tr><td>{@value #RECOVERY_POINT_MEASURED}</td><td>time gauge (s)</td><td></td>
 *       <td>when recovery points were last measured (seconds since the epoch)</td></tr>
 *   <tr><td>{@value #LAST_RUN}</td><td>time gauge (s)</td><td></td>
 *       <td>when the last run finished (seconds since the epoch); NaN before the first</td></tr>
 *   <tr><td>{@value #LAST_SUCCESS}</td><td>time gauge (s)</td><td></td>
 *       <td>when the last SUCCESS run finished; NaN before the first</td></tr>
 *   <tr><td>{@value #LAST_RUN_STATUS}</td><td>gauge</td><td></td>
 *       <td>0 SUCCESS, 1 PARTIAL, 2 FAILED; NaN before the first run</td></tr>
 *   <tr><td>{@value #RUNS}</td><td>counter</td><td>status</td><td>runs by status (all three registered at 0)</td></tr>
 *   <tr><td>{@value #RUN_DURATION}</td><td>timer</td><td></td><td>how long runs took</td></tr>
 *   <tr><td>{@value #COPIES}</td><td>counter</td><td>cluster, region, outcome</td>
 *       <td>per run, one per selected source backup and destination, by {@link CopyAction}</td></tr>
 *   <tr><td>{@value #DELETIONS}</td><td>counter</td><td>cluster, region, result (DELETED, FAILED)</td>
 *       <td>copies retention deleted, or failed to</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>counter</td><td>region, operation, kind</td>
 *       <td>calls retried after a transient error, by {@link io.github.cloudhsmdr.ServiceErrorKind}</td></tr>
 *   <tr><td>{@value #UNTAGGED_COPIES}</td><td>gauge</td><td>cluster, region</td>
 *       <td>copies of the pair's source backups that carry no ownership tag, so retention cannot manage them,
 *       as of the last run ({@link #untaggedCopies(DestinationOutcome)})</td></tr>
 * </table>
 * {@code region} is the destination region for copies, deletions and untagged copies, the region measured for
 * recovery points ({@code role} {@code source} or {@code destination}) and the region called for retries.
 *
 * <p><b>Binding.</b> The meters live in a {@link CompositeMeterRegistry} of this object; {@link #bindTo} adds a
 * registry to it (any number of registries, at any time). Gauges read this object's state, so they show what
 * happened before a registry was bound; counts and timings recorded while no registry was bound are not
 * carried over, so bind before the first run. Recovery point meters of a (cluster, region) that a complete
 * measurement no longer lists are removed; a measurement with failures keeps them and sets them UNKNOWN.
 *
 * <p>Events of a replicator with another name are ignored (logged once at WARN): use one instance per replicator.
 * Thread-safe.
 */
public final class ReplicationMetrics implements ReplicationListener, MeterBinder {
    /** Age of each region's recovery point, in seconds. */
    public static final String RECOVERY_POINT_AGE = "cloudhsm.dr.recovery.point.age";
    /** Status of each region's recovery point: 0 OK, 1 WARN, 2 CRITICAL, 3 MISSING, 4 UNKNOWN. */
    public static final String RECOVERY_POINT_STATUS = "cloudhsm.dr.recovery.point.status";
    /** The worst recovery point status of the replicator. */
    public static final String RECOVERY_POINT_WORST_STATUS = "cloudhsm.dr.recovery.point.worst.status";
    /** The recovery point objective, tagged {@code level} warn or critical, in seconds. */
    public static final String RECOVERY_POINT_OBJECTIVE = "cloudhsm.dr.recovery.point.objective";
    /** When recovery points were last measured, in seconds since the epoch. */
    public static final String RECOVERY_POINT_MEASURED = "cloudhsm.dr.recovery.point.measured.timestamp";
    /** Runs by status. */
    public static final String RUNS = "cloudhsm.dr.runs";
    /** Duration of runs. */
    public static final String RUN_DURATION = "cloudhsm.dr.run.duration";
    /** When the last run finished, in seconds since the epoch. */
    public static final String LAST_RUN = "cloudhsm.dr.run.last.timestamp";
    /** When the last SUCCESS run finished, in seconds since the epoch. */
    public static final String LAST_SUCCESS = "cloudhsm.dr.run.last.success.timestamp";
    /** Status of the last run: 0 SUCCESS, 1 PARTIAL, 2 FAILED. */
    public static final String LAST_RUN_STATUS = "cloudhsm.dr.run.last.status";
    /** Copy outcomes by {@link CopyAction}. */
    public static final String COPIES = "cloudhsm.dr.copies";
    /** Deletions by retention, by result. */
    public static final String DELETIONS = "cloudhsm.dr.deletions";
    /** Retried calls by error kind. */
    public static final String RETRIES = "cloudhsm.dr.retries";
    /** Copies retention cannot manage because they carry no ownership tag, per pair. */
    public static final String UNTAGGED_COPIES = "cloudhsm.dr.copies.untagged";

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationMetrics.class);

    private final String replicator;
    private final Tags tags;
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final Timer runDuration;
    private final Map<RunStatus, Counter> runs = new EnumMap<>(RunStatus.class);
    private final Value lastRun = new Value();
    private final Value lastSuccess = new Value();
    private final Value lastRunStatus = new Value();
    private final Value worstStatus = new Value();
    private final Value measured = new Value();
    private final Value warnAfter = new Value();
    private final Value criticalAfter = new Value();
    private final Map<List<String>, Point> points = new ConcurrentHashMap<>();
    private final Map<List<String>, Value> untagged = new ConcurrentHashMap<>();
    private final AtomicReference<ReplicationReport> lastReport = new AtomicReference<>();
    private final AtomicReference<RecoveryPointReport> lastRecoveryPoints = new AtomicReference<>();
    private final AtomicBoolean warnedOtherName = new AtomicBoolean();

    private ReplicationMetrics(String replicator) {
        this.replicator = replicator;
        this.tags = Tags.of("replicator", replicator);
        for (RunStatus s : RunStatus.values()) {
            runs.put(s, Counter.builder(RUNS).tags(tags).tag("status", s.name())
                    .description("cloudhsm-dr replication runs by status").register(meters));
        }
        runDuration = Timer.builder(RUN_DURATION).tags(tags).description("how long cloudhsm-dr replication runs took")
                .register(meters);
        timeGauge(LAST_RUN, Tags.empty(), lastRun, "when the last replication run finished");
        timeGauge(LAST_SUCCESS, Tags.empty(), lastSuccess, "when the last SUCCESS replication run finished");
        gauge(LAST_RUN_STATUS, Tags.empty(), lastRunStatus, "status of the last run: 0 SUCCESS, 1 PARTIAL, 2 FAILED");
        gauge(RECOVERY_POINT_WORST_STATUS, Tags.empty(), worstStatus,
                "worst recovery point status: 0 OK, 1 WARN, 2 CRITICAL, 3 MISSING, 4 UNKNOWN");
        timeGauge(RECOVERY_POINT_MEASURED, Tags.empty(), measured, "when recovery points were last measured");
        timeGauge(RECOVERY_POINT_OBJECTIVE, Tags.of("level", "warn"), warnAfter,
                "age after which a recovery point is WARN");
        timeGauge(RECOVERY_POINT_OBJECTIVE, Tags.of("level", "critical"), criticalAfter,
                "age after which a recovery point is CRITICAL");
    }

    /**
     * Creates the meters of the replicator named {@code replicatorName}; add the result to that replicator as a
     * listener and bind it to a registry.
     *
     * @param replicatorName the replicator's {@link io.github.cloudhsmdr.BackupReplicator#name()}
     * @return a new, unbound instance
     * @throws NullPointerException     when {@code replicatorName} is null
     * @throws IllegalArgumentException when it is blank
     */
    public static ReplicationMetrics of(String replicatorName) {
        Objects.requireNonNull(replicatorName, "replicatorName");
        if (replicatorName.isBlank()) {
            throw new IllegalArgumentException("replicatorName must not be blank: give the replicator's name()");
        }
        return new ReplicationMetrics(replicatorName);
    }

    /** Puts this replicator's meters on {@code registry} too. Binding the same registry again changes nothing. */
    @Override
    public void bindTo(MeterRegistry registry) {
        meters.add(Objects.requireNonNull(registry, "registry"));
    }

    /** @return the name of the replicator whose meters these are. */
    public String replicatorName() {
        return replicator;
    }

    /** @return the report of the last run this object recorded, if any. */
    public Optional<ReplicationReport> lastReport() {
        return Optional.ofNullable(lastReport.get());
    }

    /** @return the last recovery points this object recorded, if any. */
    public Optional<RecoveryPointReport> lastRecoveryPoints() {
        return Optional.ofNullable(lastRecoveryPoints.get());
    }

    /**
     * The number a status gauge shows for {@code status}: 0 OK, 1 WARN, 2 CRITICAL, 3 MISSING, 4 UNKNOWN.
     *
     * @param status a recovery point status
     * @return its code
     */
    public static int statusCode(RecoveryPointStatus status) {
        return switch (status) {
            case OK -> 0;
            case WARN -> 1;
            case CRITICAL -> 2;
            case MISSING -> 3;
            case UNKNOWN -> 4;
        };
    }

    /**
     * How many copies of the pair's source backups sit in its destination without this replicator's ownership
     * tag, so that retention cannot manage them; empty when the report does not say. The gauge
     * {@value #UNTAGGED_COPIES} shows NaN while this is empty.
     *
     * @param outcome one (cluster, destination) pair of a run
     * @return the count, or empty when unknown
     */
    static long untaggedCopies(DestinationOutcome outcome) {
        return outcome.untaggedCopies();
    }

    @Override
    public void onRunFinished(ReplicationReport report) {
        if (!mine(report.replicatorName())) {
            return;
        }
        lastReport.set(report);
        runs.get(report.status()).increment();
        runDuration.record(report.duration());
        lastRun.set(epochSeconds(report.finishedAt()));
        lastRunStatus.set(report.status().ordinal());
        if (report.status() == RunStatus.SUCCESS) {
            lastSuccess.set(epochSeconds(report.finishedAt()));
        }
        for (DestinationOutcome pair : report.outcomes()) {
            Tags pairTags = Tags.of("cluster", pair.clusterId(), "region", pair.destinationRegion());
            Map<CopyAction, Integer> byAction = new EnumMap<>(CopyAction.class);
            for (CopyOutcome c : pair.copies()) {
                byAction.merge(c.action(), 1, Integer::sum);
            }
            byAction.forEach((action, n) -> counter(COPIES, pairTags.and("outcome", action.name()),
                    "copy outcomes of cloudhsm-dr runs").increment(n));
            for (Deletion d : pair.deletions()) {
                counter(DELETIONS, pairTags.and("result", d.succeeded() ? "DELETED" : "FAILED"),
                        "copies retention deleted, or failed to").increment();
            }
            long n = untaggedCopies(pair);
            untagged.computeIfAbsent(List.of(pair.clusterId(), pair.destinationRegion()), k -> {
                Value v = new Value();
                gauge(UNTAGGED_COPIES, pairTags, v, "copies without the ownership tag, which retention cannot manage");
                return v;
            }).set(n);
        }
    }

    @Override
    public void onRetry(RetryEvent event) {
        if (!mine(event.replicatorName())) {
            return;
        }
        counter(RETRIES, Tags.of("region", String.valueOf(event.region()), "operation",
                String.valueOf(event.operation()), "kind", event.kind().name()),
                "calls retried after a transient error").increment();
    }

    @Override
    public void onRecoveryPointsMeasured(RecoveryPointReport report) {
        if (!mine(report.replicatorName())) {
            return;
        }
        lastRecoveryPoints.set(report);
        measured.set(epochSeconds(report.measuredAt()));
        warnAfter.set(seconds(report.warnAfter()));
        criticalAfter.set(seconds(report.criticalAfter()));
        worstStatus.set(statusCode(report.worst()));
        Set<List<String>> seen = new HashSet<>();
        for (RecoveryPoint p : report.points()) {
            List<String> key = List.of(p.clusterId(), p.region());
            seen.add(key);
            Point point = points.computeIfAbsent(key, k -> new Point(p.clusterId(), p.region(), p.source()));
            point.age.set(p.age() == null ? Double.NaN : seconds(p.age()));
            point.status.set(statusCode(p.status()));
        }
        for (Map.Entry<List<String>, Point> e : points.entrySet()) {
            if (seen.contains(e.getKey())) {
                continue;
            }
            if (report.failures().isEmpty()) {
                points.remove(e.getKey());
                e.getValue().registered.forEach(meters::remove);
            } else {
                e.getValue().age.set(Double.NaN);
                e.getValue().status.set(statusCode(RecoveryPointStatus.UNKNOWN));
            }
        }
    }

    private boolean mine(String name) {
        if (replicator.equals(name)) {
            return true;
        }
        if (warnedOtherName.compareAndSet(false, true)) {
            LOG.warn("metrics of replicator={} received an event of replicator={}: ignored; use one "
                    + "ReplicationMetrics per replicator", replicator, name);
        }
        return false;
    }

    private Counter counter(String name, Tags more, String description) {
        return Counter.builder(name).tags(tags).tags(more).description(description).register(meters);
    }

    private Gauge gauge(String name, Tags more, Value value, String description) {
        return Gauge.builder(name, value, Value::get).tags(tags).tags(more).description(description)
                .strongReference(true).register(meters);
    }

    private TimeGauge timeGauge(String name, Tags more, Value value, String description) {
        return TimeGauge.builder(name, value, TimeUnit.SECONDS, Value::get).tags(tags).tags(more)
                .description(description).strongReference(true).register(meters);
    }

    private static double epochSeconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    private static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }

    @Override
    public String toString() {
        return "ReplicationMetrics[replicator=" + replicator + ", points=" + points.size() + "]";
    }

    /** The meters of one (cluster, region) recovery point. */
    private final class Point {
        final Value age = new Value();
        final Value status = new Value();
        final List<Meter> registered;

        Point(String cluster, String region, boolean source) {
            Tags pointTags = Tags.of("cluster", cluster, "region", region, "role", source ? "source" : "destination");
            registered = List.of(
                    timeGauge(RECOVERY_POINT_AGE, pointTags, age, "age of the newest READY backup or copy the region holds"),
                    gauge(RECOVERY_POINT_STATUS, pointTags, status,
                            "recovery point status: 0 OK, 1 WARN, 2 CRITICAL, 3 MISSING, 4 UNKNOWN"));
        }
    }

    /** A number a gauge reads; NaN until set. */
    private static final class Value {
        private volatile double value = Double.NaN;

        double get() {
            return value;
        }

        void set(double v) {
            value = v;
        }
    }
}
