package io.github.cloudhsmdr.engine;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.RecoveryPointStatus;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.spi.CopyResult;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.FaultInjector;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import org.junit.jupiter.api.Test;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every degraded DR state shows in the status and the report: no false green. */
class NoFalseGreenTest extends ModelFixture {

    ReplicatorBuilder builder(BackupStore backupStore) {
        return replicatorToWest().backupStore(backupStore);
    }

    ReplicatorBuilder builder() {
        return replicatorToWest();
    }

    static DestinationOutcome pair(ReplicationReport report, String clusterId) {
        return report.outcomes().stream().filter(o -> o.clusterId().equals(clusterId)).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------------------------ misconfiguration

    @Test
    void aConfiguredClusterThatDoesNotExistInTheSourceRegionFailsItsPairs() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        String ghost = "cluster-ghostghost22";
        try (BackupReplicator r = builder().clusterIds(cluster, ghost).build()) {
            ReplicationReport report = r.replicate();
            DestinationOutcome o = pair(report, ghost);
            assertEquals(RunStatus.FAILED, o.status(), report.describe());
            assertNotNull(o.failure(), report.describe());
            assertTrue(o.failure().message().contains("no cluster " + ghost + " in " + SOURCE), report.describe());
            assertEquals(RunStatus.PARTIAL, report.status(), report.describe());
        }
    }

    @Test
    void discoveryThatFindsNoClusterFailsTheRun() {
        CloudHsmModel empty = new CloudHsmModel(clock, 3L);
        try (BackupReplicator r = builder(new InMemoryBackupStore(empty)).build()) {
            ReplicationReport report = r.replicate();
            assertEquals(RunStatus.FAILED, report.status(), report.describe());
            assertTrue(report.summary().contains("no clusters in " + SOURCE + ": nothing is protected"),
                    report.summary());
        }
    }

    @Test
    void recoveryPointsWithNothingToMeasureAreUnknownNeverOk() {
        CloudHsmModel empty = new CloudHsmModel(clock, 3L);
        try (BackupReplicator r = builder(new InMemoryBackupStore(empty)).build()) {
            assertEquals(RecoveryPointStatus.UNKNOWN, r.measureRecoveryPoints().worst());
        }
    }

    // ------------------------------------------------------------------------------------ the day of the disaster

    RecoveryPoint point(RecoveryPointReport report, String region) {
        return report.points().stream().filter(p -> p.clusterId().equals(cluster) && p.region().equals(region))
                .findFirst().orElseThrow(() -> new AssertionError("no point for " + region + ": "
                        + report.describe()));
    }

    @Test
    void withTheSourceRegionDownRecoveryPointsReportEveryDestinationAndTheBestRestorePoint() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(30)));
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(2)));
        try (BackupReplicator r = builder().destinationRegions(WEST, EU).build()) {
            r.replicate();
            model.completeCopies();
            model.faultHook(new FaultInjector(5L).regionDown(SOURCE));
            RecoveryPointReport report = r.measureRecoveryPoints();
            for (String region : List.of(WEST, EU)) {
                RecoveryPoint p = point(report, region);
                assertNotNull(p.backupId(), report.describe());
                assertEquals(RecoveryPointStatus.OK, p.status(), report.describe());
            }
            assertEquals(RecoveryPointStatus.UNKNOWN, point(report, SOURCE).status(), report.describe());
            assertEquals(RecoveryPointStatus.UNKNOWN, report.worst(), report.describe());
            assertTrue(report.notes().stream().anyMatch(n -> n.contains("source " + SOURCE + " cannot be read")
                    && n.contains("newest copy in ")), report.describe());
        }
    }

    @Test
    void aSourceClusterDeletedWhileCopiesExistIsReportedWithItsNewestCopy() {
        Backup newest = model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(2)));
        try (BackupReplicator r = builder().build()) {
            r.replicate();
            model.completeCopies();
            model.deleteCluster(SOURCE, cluster);
            RecoveryPointReport report = r.measureRecoveryPoints();
            RecoveryPoint west = point(report, WEST);
            assertNotNull(west.backupId(), report.describe());
            assertTrue(report.notes().stream().anyMatch(n -> n.equals("source cluster " + cluster
                    + " no longer exists in " + SOURCE + "; newest copy in " + WEST + " is " + west.backupId()
                    + " from " + newest.createTimestamp() + " (the best restore point)")), report.describe());
        }
    }

    // ------------------------------------------------------------------------------------ wait for READY

    @Test
    void aCopyNotReadyWhenTheWaitRunsOutIsNotReadyAndItsPairPartial() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        model.copyDelay(Duration.ofHours(2));
        try (BackupReplicator r = builder().waitForReady(Duration.ofMinutes(10)).build()) {
            ReplicationReport report = r.replicate();
            CopyOutcome item = report.copies().findFirst().orElseThrow();
            assertEquals("NOT_READY", item.action().name(), report.describe());
            assertEquals(RunStatus.PARTIAL, pair(report, cluster).status(), report.describe());
            assertEquals(RunStatus.PARTIAL, report.status(), report.describe());
        }
    }

    // ------------------------------------------------------------------------------------ retention deferred

    @Test
    void retentionDeferredMakesThePairPartialWithTheReason() {
        RetentionPolicy keepLast1 = RetentionPolicy.builder().keepLast(1).build();
        try (BackupReplicator keepAll = builder().build()) {
            for (int i = 0; i < 2; i++) {
                model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
                keepAll.replicate();
                clock.advance(Duration.ofDays(1));
            }
        }
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        model.copyVisibilityDelay(Duration.ofHours(1));
        try (BackupReplicator r = builder().retentionPolicy(keepLast1).build()) {
            ReplicationReport report = r.replicate();
            DestinationOutcome o = pair(report, cluster);
            assertEquals(0, report.deleted(), report.describe());
            assertTrue(o.retentionNote().startsWith("deferred"), report.describe());
            assertEquals(RunStatus.PARTIAL, o.status(), report.describe());
            assertEquals(RunStatus.PARTIAL, report.status(), report.describe());
        }
    }

    // ------------------------------------------------------------------------------------ time

    @Test
    void startedAtIsTheStartOfTheRunPlanningAndItsRetriesIncluded() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        model.faultHook(new FaultInjector(5L).regionDown(SOURCE));
        Instant start = clock.instant();
        try (BackupReplicator r = builder().build()) {
            ReplicationReport report = r.replicate();
            assertEquals(start, report.startedAt(), report.summary());
            assertTrue(report.duration().compareTo(Duration.ofSeconds(1)) > 0, report.summary());
            assertEquals(RunStatus.FAILED, report.status(), report.summary());
        }
    }

    // ------------------------------------------------------------------------------------ ambiguous answers

    @Test
    void aCopyMadeButAnsweredWithAnUnreadableBodyIsReportedAsTheCopyThatExists() {
        Backup source = model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        BackupStore truncating = new DelegatingStore(store) {
            @Override
            public CopyResult copyBackupToRegion(String sourceRegion, String backupId, String destinationRegion,
                    Map<String, String> tags) {
                super.copyBackupToRegion(sourceRegion, backupId, destinationRegion, tags);
                throw new BackupServiceException(ServiceErrorKind.BAD_RESPONSE, "CopyBackupToRegion", sourceRegion,
                        backupId, null, "unable to read the response body: truncated", null);
            }
        };
        try (BackupReplicator r = builder(truncating).build()) {
            ReplicationReport report = r.replicate();
            CopyOutcome item = report.copies().findFirst().orElseThrow();
            assertEquals(CopyAction.COPIED, item.action(), report.describe());
            assertNotNull(item.destinationBackupId(), report.describe());
            assertEquals(RunStatus.SUCCESS, report.status(), report.describe());
        }
        assertEquals(1, model.backupsIn(WEST).stream().filter(b -> source.backupId().equals(b.sourceBackup()))
                .count());
    }

    // ------------------------------------------------------------------------------------ audit trail

    @Test
    void everyRunHasAnIdOnEveryLogLineAndItsReportAndAnAuditLinePerCopyAndDeletion() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        ReplicationReport first;
        ReplicationReport second;
        try (BackupReplicator r = builder().retentionPolicy(RetentionPolicy.builder().keepLast(1).build())
                .waitForReady(Duration.ofHours(1)).build()) {
            first = r.replicate();
            clock.advance(Duration.ofDays(1));
            model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
            second = r.replicate();
        } finally {
            root.detachAppender(log);
        }
        assertFalse(first.runId().isEmpty());
        assertNotEquals(first.runId(), second.runId(), "a new id per run");
        List<ILoggingEvent> events = List.copyOf(log.list);
        Set<String> ids = new java.util.TreeSet<>();
        events.forEach(e -> ids.add(String.valueOf(e.getMDCPropertyMap().get(ReplicationReport.RUN_ID_MDC_KEY))));
        assertEquals(new java.util.TreeSet<>(List.of(first.runId(), second.runId())), ids,
                "every line of a run carries its id: " + events);
        List<String> lines = events.stream().map(ILoggingEvent::getFormattedMessage).toList();
        Backup deleted = model.backupsIn(WEST).stream().filter(b -> b.state() == BackupState.PENDING_DELETION)
                .findFirst().orElseThrow();
        Backup kept = model.backupsIn(WEST).stream().filter(b -> b.state().isLive() && b != deleted)
                .filter(b -> !b.backupId().equals(deleted.backupId())).findFirst().orElseThrow();
        assertEquals(2, lines.stream().filter(l -> l.startsWith("Copy started")).count(), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Copy located") && l.contains(kept.sourceBackup()
                + " -> " + kept.backupId())), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Deleted copy " + deleted.backupId() + " in " + WEST
                + " until " + deleted.deleteTimestamp())), lines.toString());
    }
}
