package io.github.cloudhsmdr.micrometer;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.RecoveryPointStatus;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.scheduling.ReplicationTask;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.CloudHsmModelException;
import io.github.cloudhsmdr.testkit.FaultInjector;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationMetricsTest {
    private static final String SOURCE = "us-east-1";
    private static final String WEST = "us-west-2";
    private static final String EU = "eu-west-1";

    private final MutableClock clock = MutableClock.at("2026-11-01T12:00:00Z");
    private final CloudHsmModel model = new CloudHsmModel(clock).copyDelay(Duration.ZERO);
    private final String cluster = model.addCluster(SOURCE).clusterId();
    /** Meters of replicator "dr" fed with hand-made reports, on a registry of their own. */
    private final ReplicationMetrics metrics = ReplicationMetrics.of("dr");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Instant t0 = Instant.parse("2026-11-01T00:00:00Z");

    ReplicationMetricsTest() {
        metrics.bindTo(registry);
    }

    private BackupReplicator replicator(ReplicationMetrics metrics) {
        return BackupReplicator.builder().name("prod-dr").sourceRegion(SOURCE).destinationRegions(WEST, EU)
                .backupStore(new InMemoryBackupStore(model)).clock(clock).sleeper(clock::advance).randomSeed(7)
                .listener(metrics).build();
    }

    @Test
    void aScheduledRunShowsUpInPrometheusTextWithBaseUnitsAndTags() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(3)));
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(27)));
        ReplicationMetrics prodDr = ReplicationMetrics.of("prod-dr");
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        prodDr.bindTo(prometheus);

        try (BackupReplicator replicator = replicator(prodDr)) {
            ReplicationTask.of(replicator).call();
        }

        String text = prometheus.scrape();
        String pair = "cluster=\"" + cluster + "\",outcome=\"COPIED\",region=\"" + WEST + "\",replicator=\"prod-dr\"";
        assertTrue(text.contains("cloudhsm_dr_copies_total{" + pair + "} 2"), text);
        assertTrue(text.contains("cloudhsm_dr_runs_total{replicator=\"prod-dr\",status=\"SUCCESS\"} 1"), text);
        assertTrue(text.contains("cloudhsm_dr_runs_total{replicator=\"prod-dr\",status=\"FAILED\"} 0"), text);
        assertTrue(text.contains("cloudhsm_dr_run_duration_seconds_count{replicator=\"prod-dr\"} 1"), text);
        double finished = clock.instant().getEpochSecond();
        assertEquals(finished, value(text, "cloudhsm_dr_run_last_timestamp_seconds{replicator=\"prod-dr\"}"), 1.0);
        assertEquals(finished, value(text, "cloudhsm_dr_run_last_success_timestamp_seconds{replicator=\"prod-dr\"}"),
                1.0);
        assertEquals(0.0, value(text, "cloudhsm_dr_run_last_status{replicator=\"prod-dr\"}"));
        // measured by the task right after the run: copies are READY at once (copy delay zero)
        String west = "cluster=\"" + cluster + "\",region=\"" + WEST + "\",replicator=\"prod-dr\",role=\"destination\"";
        assertEquals(3 * 3600.0, value(text, "cloudhsm_dr_recovery_point_age_seconds{" + west + "}"), 1.0);
        assertEquals(0.0, value(text, "cloudhsm_dr_recovery_point_status{" + west + "}"));
        String source = "cluster=\"" + cluster + "\",region=\"" + SOURCE + "\",replicator=\"prod-dr\",role=\"source\"";
        assertEquals(0.0, value(text, "cloudhsm_dr_recovery_point_status{" + source + "}"));
        assertEquals(0.0, value(text, "cloudhsm_dr_recovery_point_worst_status{replicator=\"prod-dr\"}"));
        assertEquals(32 * 3600.0, value(text,
                "cloudhsm_dr_recovery_point_objective_seconds{level=\"critical\",replicator=\"prod-dr\"}"));
        assertEquals(0.0, value(text, "cloudhsm_dr_copies_untagged{cluster=\"" + cluster + "\",region=\""
                + EU + "\",replicator=\"prod-dr\"}"));
    }

    @Test
    void copiesThatArriveWithoutTheOwnershipTagAreCountedPerPair() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(3)));
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(27)));
        FaultInjector faults = new FaultInjector(11).dropCopyTags(WEST, 1.0);
        model.faultHook(faults);
        ReplicationMetrics prodDr = ReplicationMetrics.of("prod-dr");
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        prodDr.bindTo(prometheus);

        try (BackupReplicator replicator = replicator(prodDr)) {
            ReplicationTask.of(replicator).call();
        }

        String text = prometheus.scrape();
        String pair = "cluster=\"" + cluster + "\",region=\"%s\",replicator=\"prod-dr\"";
        assertEquals(2.0, value(text, "cloudhsm_dr_copies_untagged{" + String.format(pair, WEST) + "}"), text);
        assertEquals(0.0, value(text, "cloudhsm_dr_copies_untagged{" + String.format(pair, EU) + "}"), text);
        assertTrue(text.contains("cloudhsm_dr_runs_total{replicator=\"prod-dr\",status=\"PARTIAL\"} 1"), text);
    }

    @Test
    void retriesAreCountedByRegionOperationAndKind() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        AtomicInteger left = new AtomicInteger(2);
        model.faultHook((op, region) -> {
            if (op.equals("CopyBackupToRegion") && left.getAndDecrement() > 0) {
                throw CloudHsmModelException.of(CloudHsmModelException.THROTTLING, "injected throttle");
            }
        });
        ReplicationMetrics prodDr = ReplicationMetrics.of("prod-dr");
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        prodDr.bindTo(simple);

        try (BackupReplicator replicator = replicator(prodDr)) {
            assertEquals(RunStatus.SUCCESS, replicator.replicate().status());
        }

        assertEquals(2.0, simple.get(ReplicationMetrics.RETRIES).tag("replicator", "prod-dr")
                .tag("operation", "CopyBackupToRegion").tag("kind", "THROTTLING").tag("region", SOURCE)
                .counter().count());
    }

    @Test
    void failedRunsDeletionsAndLastSuccessAreKeptApart() {
        Failure denied = new Failure(ServiceErrorKind.ACCESS_DENIED, "DeleteBackup", "denied", 1);
        DestinationOutcome pair = new DestinationOutcome("cluster-aaaaaaaaaaa", WEST, RunStatus.PARTIAL,
                List.of(new CopyOutcome("backup-1", t0, CopyAction.FAILED, null, null, "", denied),
                        new CopyOutcome("backup-2", t0, CopyAction.ALREADY_PRESENT, "backup-9", null, "", null)),
                null, List.of(), List.of(
                        new Deletion("backup-7", WEST, "backup-0", t0, RetentionVerdict.DELETE, List.of(), t0, null),
                        new Deletion("backup-8", WEST, "backup-0", t0, RetentionVerdict.DELETE, List.of(), null,
                                denied)), "");

        metrics.onRunFinished(new ReplicationReport("dr", SOURCE, t0, t0.plusSeconds(60), RunStatus.SUCCESS,
                List.of(), List.of()));
        metrics.onRunFinished(new ReplicationReport("dr", SOURCE, t0.plusSeconds(3600), t0.plusSeconds(3700),
                RunStatus.PARTIAL, List.of(pair), List.of()));

        assertEquals(1.0, registry.get(ReplicationMetrics.RUNS).tag("status", "PARTIAL").counter().count());
        assertEquals(1.0, registry.get(ReplicationMetrics.RUNS).tag("status", "SUCCESS").counter().count());
        assertEquals(t0.plusSeconds(3700).getEpochSecond(), gauge(registry, ReplicationMetrics.LAST_RUN));
        assertEquals(t0.plusSeconds(60).getEpochSecond(), gauge(registry, ReplicationMetrics.LAST_SUCCESS));
        assertEquals(1.0, gauge(registry, ReplicationMetrics.LAST_RUN_STATUS));
        assertEquals(1.0, registry.get(ReplicationMetrics.DELETIONS).tag("result", "DELETED")
                .tag("cluster", "cluster-aaaaaaaaaaa").tag("region", WEST).counter().count());
        assertEquals(1.0, registry.get(ReplicationMetrics.DELETIONS).tag("result", "FAILED").counter().count());
        assertEquals(1.0, registry.get(ReplicationMetrics.COPIES).tag("outcome", "FAILED").counter().count());
        assertEquals(1.0, registry.get(ReplicationMetrics.COPIES).tag("outcome", "ALREADY_PRESENT").counter().count());
        assertEquals(2, registry.get(ReplicationMetrics.RUN_DURATION).timer().count());
        assertEquals(Duration.ofSeconds(160).toMillis(), registry.get(ReplicationMetrics.RUN_DURATION).timer()
                .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS), 1.0);
    }

    @Test
    void gaugesAreNaNBeforeTheFirstRunAndAGaugeBoundLateShowsWhatHappenedBefore() {
        SimpleMeterRegistry early = registry;
        assertTrue(Double.isNaN(gauge(early, ReplicationMetrics.LAST_SUCCESS)));
        assertTrue(Double.isNaN(gauge(early, ReplicationMetrics.RECOVERY_POINT_WORST_STATUS)));
        metrics.onRecoveryPointsMeasured(points(t0, List.of(point("cluster-aaaaaaaaaaa", WEST,
                RecoveryPointStatus.CRITICAL, Duration.ofHours(40))), List.of()));

        SimpleMeterRegistry late = new SimpleMeterRegistry();
        metrics.bindTo(late);

        for (MeterRegistry r : List.of(early, late)) {
            assertEquals(40 * 3600.0, r.get(ReplicationMetrics.RECOVERY_POINT_AGE).tag("region", WEST)
                    .timeGauge().value(java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(2.0, r.get(ReplicationMetrics.RECOVERY_POINT_STATUS).tag("role", "destination").gauge().value());
            assertEquals(2.0, gauge(r, ReplicationMetrics.RECOVERY_POINT_WORST_STATUS));
            assertEquals(t0.getEpochSecond(), gauge(r, ReplicationMetrics.RECOVERY_POINT_MEASURED));
        }
        assertEquals(metrics.lastRecoveryPoints().orElseThrow().measuredAt(), t0);
    }

    @Test
    void aPointThatCouldNotBeMeasuredTurnsUnknownAndOneNoLongerListedGoesAway() {
        metrics.onRecoveryPointsMeasured(points(t0, List.of(
                point("cluster-aaaaaaaaaaa", WEST, RecoveryPointStatus.OK, Duration.ofHours(2)),
                point("cluster-bbbbbbbbbbb", WEST, RecoveryPointStatus.OK, Duration.ofHours(2))), List.of()));

        Failure unreadable = new Failure(ServiceErrorKind.NETWORK, "DescribeBackups", "cluster-bbbbbbbbbbb: reset", 3);
        metrics.onRecoveryPointsMeasured(points(t0.plusSeconds(60), List.of(
                point("cluster-aaaaaaaaaaa", WEST, RecoveryPointStatus.OK, Duration.ofHours(2))), List.of(unreadable)));

        Meter.Id b = registry.get(ReplicationMetrics.RECOVERY_POINT_STATUS).tag("cluster", "cluster-bbbbbbbbbbb")
                .gauge().getId();
        assertEquals(4.0, registry.get(ReplicationMetrics.RECOVERY_POINT_STATUS).tag("cluster", "cluster-bbbbbbbbbbb")
                .gauge().value(), "UNKNOWN while its cluster could not be measured: " + b);
        assertTrue(Double.isNaN(registry.get(ReplicationMetrics.RECOVERY_POINT_AGE).tag("cluster",
                "cluster-bbbbbbbbbbb").timeGauge().value()));
        assertEquals(4.0, gauge(registry, ReplicationMetrics.RECOVERY_POINT_WORST_STATUS));

        metrics.onRecoveryPointsMeasured(points(t0.plusSeconds(120), List.of(
                point("cluster-aaaaaaaaaaa", WEST, RecoveryPointStatus.WARN, Duration.ofHours(29))), List.of()));

        assertNull(registry.find(ReplicationMetrics.RECOVERY_POINT_STATUS).tag("cluster", "cluster-bbbbbbbbbbb")
                .gauge(), "a complete measurement without the cluster removes its meters");
        assertNull(registry.find(ReplicationMetrics.RECOVERY_POINT_AGE).tag("cluster", "cluster-bbbbbbbbbbb")
                .timeGauge());
        assertEquals(1.0, registry.get(ReplicationMetrics.RECOVERY_POINT_STATUS).tag("cluster", "cluster-aaaaaaaaaaa")
                .gauge().value());
    }

    @Test
    void eventsOfAnotherReplicatorAreIgnored() {

        metrics.onRunFinished(new ReplicationReport("other", SOURCE, t0, t0, RunStatus.FAILED, List.of(), List.of()));

        assertEquals(0.0, registry.get(ReplicationMetrics.RUNS).tag("status", "FAILED").counter().count());
        assertTrue(metrics.lastReport().isEmpty());
        assertFalse(registry.find(ReplicationMetrics.RUNS).tag("replicator", "other").counters().iterator().hasNext());
    }

    @Test
    void statusCodesFollowTheDocumentedOrderAndHealthIsDownFromCritical() {
        assertEquals(List.of(0, 1, 2, 3, 4), List.of(RecoveryPointStatus.OK, RecoveryPointStatus.WARN,
                RecoveryPointStatus.CRITICAL, RecoveryPointStatus.MISSING, RecoveryPointStatus.UNKNOWN).stream()
                .map(ReplicationMetrics::statusCode).toList());
        assertEquals(List.of(false, false, true, true, true), List.of(RecoveryPointStatus.values()).stream()
                .map(RecoveryPointHealth::isDown).toList());
        assertThrows(IllegalArgumentException.class, () -> ReplicationMetrics.of(" "));
        assertThrows(NullPointerException.class, () -> ReplicationMetrics.of(null));
    }

    private static RecoveryPoint point(String cluster, String region, RecoveryPointStatus status, Duration age) {
        return new RecoveryPoint(cluster, region, false, "backup-x", null, age, null, null, status, null);
    }

    private static RecoveryPointReport points(Instant at, List<RecoveryPoint> points, List<Failure> failures) {
        return new RecoveryPointReport("dr", at, Duration.ofHours(28), Duration.ofHours(32), points, failures);
    }

    private static double gauge(MeterRegistry registry, String name) {
        Meter meter = registry.get(name).meter();
        return meter.measure().iterator().next().getValue();
    }

    /** The value of the sample line that starts with {@code series} in Prometheus text. */
    static double value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no sample " + series + " in\n" + text);
    }
}
