package io.github.cloudhsmdr.engine;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyEvent;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.PlannedAction;
import io.github.cloudhsmdr.PlannedCopy;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.testkit.CloudHsmModelException;
import io.github.cloudhsmdr.testkit.RecordingListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicatorEngineTest extends ModelFixture {
    String clusterA;
    String clusterB;

    @Override
    long modelSeed() {
        return 7L;
    }

    @BeforeEach
    void secondCluster() {
        clusterA = cluster;
        clusterB = model.addCluster(SOURCE).clusterId();
    }

    ReplicatorBuilder builder() {
        return BackupReplicator.builder().sourceRegion(SOURCE).destinationRegions(WEST, EU)
                .backupStore(store).clock(clock).sleeper(clock::advance);
    }

    Backup backup(String cluster, Duration age) {
        return model.addBackup(SOURCE, cluster, clock.instant().minus(age));
    }

    List<Backup> liveCopiesOf(String sourceBackupId, String region) {
        return model.backupsIn(region).stream()
                .filter(b -> sourceBackupId.equals(b.sourceBackup()) && b.state().isLive())
                .collect(Collectors.toList());
    }

    void assertExactlyOneLiveCopyEverywhere(List<Backup> sources) {
        for (Backup s : sources) {
            for (String region : List.of(WEST, EU)) {
                assertEquals(1, liveCopiesOf(s.backupId(), region).size(),
                        "live copies of " + s.backupId() + " in " + region);
            }
        }
    }

    @Test
    void firstRunCopiesEveryEligibleBackupToEveryDestination() {
        List<Backup> sources = List.of(backup(clusterA, Duration.ofDays(1)), backup(clusterA, Duration.ofDays(2)),
                backup(clusterB, Duration.ofHours(3)));
        try (BackupReplicator r = builder().build()) {
            ReplicationReport report = r.replicate();
            assertEquals(RunStatus.SUCCESS, report.status(), report.describe());
            assertEquals(6, report.copied());
            assertEquals(4, report.outcomes().size(), "2 clusters x 2 destinations");
            report.copies().forEach(c -> {
                assertNotNull(c.destinationBackupId(), "copy id found for " + c);
                assertEquals(BackupState.CREATE_IN_PROGRESS, c.destinationState());
            });
        }
        assertExactlyOneLiveCopyEverywhere(sources);
    }

    @Test
    void secondRunCopiesNothing() {
        List<Backup> sources = List.of(backup(clusterA, Duration.ofDays(1)), backup(clusterB, Duration.ofDays(3)));
        try (BackupReplicator r = builder().build()) {
            r.replicate();
            ReplicationReport second = r.replicate();
            assertEquals(0, second.copied());
            assertEquals(4, second.count(CopyAction.IN_PROGRESS));
            model.completeCopies();
            ReplicationReport third = r.replicate();
            assertEquals(0, third.copied());
            assertEquals(4, third.count(CopyAction.ALREADY_PRESENT));
            assertEquals(RunStatus.SUCCESS, third.status());
        }
        assertExactlyOneLiveCopyEverywhere(sources);
    }

    @Test
    void newReplicatorOverSameRegionsCopiesNothingAfterRestart() {
        List<Backup> sources = List.of(backup(clusterA, Duration.ofDays(1)), backup(clusterB, Duration.ofDays(2)));
        try (BackupReplicator first = builder().build()) {
            first.replicate();
        }
        try (BackupReplicator restarted = builder().build()) {
            ReplicationReport report = restarted.replicate();
            assertEquals(0, report.copied(), report.describe());
        }
        assertExactlyOneLiveCopyEverywhere(sources);
    }

    @Test
    void newSourceBackupIsCopiedOnTheNextRun() {
        backup(clusterA, Duration.ofDays(1));
        try (BackupReplicator r = builder().build()) {
            r.replicate();
            clock.advance(Duration.ofDays(1));
            Backup fresh = backup(clusterA, Duration.ofMinutes(5));
            ReplicationReport report = r.replicate();
            assertEquals(2, report.copied());
            assertEquals(Set.of(fresh.backupId()), report.copies().filter(c -> c.action() == CopyAction.COPIED)
                    .map(CopyOutcome::sourceBackupId).collect(Collectors.toSet()));
        }
    }

    @Test
    void copyThatFailedInsideAwsIsCopiedAgainAndReported() {
        Backup b = backup(clusterA, Duration.ofDays(1));
        model.failNextCopies(1);
        try (BackupReplicator r = builder().destinationRegions(WEST).build()) {
            r.replicate();
            model.completeCopies();
            assertTrue(liveCopiesOf(b.backupId(), WEST).isEmpty(), "the first copy failed");
            ReplicationPlan plan = r.plan();
            PlannedCopy item = plan.destinations().stream().filter(d -> d.clusterId().equals(clusterA))
                    .findFirst().orElseThrow().items().get(0);
            assertEquals(PlannedAction.RECOPY, item.action());
            assertTrue(item.reason().contains("DELETED"), item.reason());
            ReplicationReport report = r.apply(plan);
            assertEquals(1, report.copied());
        }
        assertEquals(1, liveCopiesOf(b.backupId(), WEST).size());
    }

    @Test
    void copyFailingWhileWaitingForReadyIsReportedAsFailed() {
        Backup b = backup(clusterA, Duration.ofDays(1));
        model.failNextCopies(1).copyDelay(Duration.ofMinutes(4));
        try (BackupReplicator r = builder().destinationRegions(WEST).clusterIds(clusterA)
                .waitForReady(Duration.ofMinutes(30)).pollInterval(Duration.ofMinutes(1), Duration.ofMinutes(2))
                .build()) {
            ReplicationReport report = r.replicate();
            CopyOutcome o = report.copies().filter(c -> c.sourceBackupId().equals(b.backupId())).findFirst()
                    .orElseThrow();
            assertEquals(CopyAction.FAILED, o.action());
            assertEquals(ServiceErrorKind.COPY_FAILED, o.failure().kind());
            assertEquals(RunStatus.FAILED, report.status());
        }
    }

    @Test
    void aCopyThatTurnsDeletedWhileWaitingForReadyIsReportedToTheListenerAsFailedOnly() {
        Backup b = backup(clusterA, Duration.ofDays(1));
        model.failNextCopies(1).copyDelay(Duration.ofMinutes(4));
        RecordingListener listener = new RecordingListener();
        try (BackupReplicator r = builder().destinationRegions(WEST).clusterIds(clusterA).listener(listener)
                .waitForReady(Duration.ofMinutes(30)).pollInterval(Duration.ofMinutes(1), Duration.ofMinutes(2))
                .build()) {
            ReplicationReport report = r.replicate();
            assertEquals(CopyAction.FAILED, report.copies().findFirst().orElseThrow().action(), report.describe());
        }
        assertEquals(List.of(b.backupId()), listener.copyFailures().stream()
                .map(f -> f.event().sourceBackupId()).toList(), "onCopyFailed for the copy that failed: "
                + listener.events());
        assertEquals(List.of(), listener.events(RecordingListener.CopySuccess.class),
                "no onCopySucceeded for a copy that failed");
    }

    @Test
    void waitsForReadyOnTheInjectedClockWithBackoff() {
        backup(clusterA, Duration.ofDays(1));
        model.copyDelay(Duration.ofMinutes(7));
        List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
        Instant start = clock.instant();
        try (BackupReplicator r = builder().destinationRegions(WEST).clusterIds(clusterA)
                .waitForReady(Duration.ofHours(1)).pollInterval(Duration.ofMinutes(1), Duration.ofMinutes(4))
                .sleeper(d -> {
                    waits.add(d);
                    clock.advance(d);
                }).build()) {
            ReplicationReport report = r.replicate();
            CopyOutcome o = report.copies().findFirst().orElseThrow();
            assertEquals(BackupState.READY, o.destinationState(), report.describe());
            assertEquals("copied and verified READY", o.detail());
        }
        assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4)), waits);
        assertEquals(Duration.ofMinutes(7), Duration.between(start, clock.instant()));
    }

    @Test
    void copiesNotReadyBeforeTheDeadlineAreReportedNotReady() {
        backup(clusterA, Duration.ofDays(1));
        model.copyDelay(Duration.ofHours(5));
        try (BackupReplicator r = builder().destinationRegions(WEST).clusterIds(clusterA)
                .waitForReady(Duration.ofMinutes(10)).pollInterval(Duration.ofMinutes(1), Duration.ofMinutes(2))
                .build()) {
            ReplicationReport report = r.replicate();
            CopyOutcome o = report.copies().findFirst().orElseThrow();
            assertEquals(CopyAction.NOT_READY, o.action());
            assertEquals(RunStatus.PARTIAL, report.status());
            assertEquals(BackupState.CREATE_IN_PROGRESS, o.destinationState());
            assertTrue(o.detail().contains("not READY within"), o.detail());
        }
    }

    @Test
    void copiesOfCopiesAreNotExportedByDefault() {
        Backup own = backup(clusterA, Duration.ofDays(1));
        Backup imported = model.addBackup(Backup.builder("backup-importedcopyx", SOURCE).clusterId(clusterA)
                .createTimestamp(clock.instant().minus(Duration.ofHours(2))).sourceRegion(WEST)
                .sourceBackup("backup-originalinwest").sourceCluster("cluster-westclusterx").build());
        try (BackupReplicator r = builder().build()) {
            ReplicationReport report = r.replicate();
            assertEquals(2, report.copied());
            assertTrue(liveCopiesOf(imported.backupId(), WEST).isEmpty());
            assertTrue(liveCopiesOf(imported.backupId(), EU).isEmpty());
            CopyOutcome skipped = report.copies().filter(c -> c.sourceBackupId().equals(imported.backupId()))
                    .findFirst().orElseThrow();
            assertEquals(CopyAction.SKIPPED, skipped.action());
            assertTrue(skipped.detail().contains("is itself a copy"), skipped.detail());
        }
        assertEquals(1, liveCopiesOf(own.backupId(), EU).size());
        try (BackupReplicator r = builder().includeCopies(true).build()) {
            assertEquals(2, r.replicate().copied(), "with includeCopies the imported copy goes out too");
        }
    }

    @Test
    void failingDestinationLeavesTheOthersDoneAndStatusPartial() {
        backup(clusterA, Duration.ofDays(1));
        backup(clusterB, Duration.ofDays(1));
        model.faultHook((operation, region) -> {
            if (region.equals(EU)) {
                throw CloudHsmModelException.of(CloudHsmModelException.ACCESS_DENIED, "denied in " + region);
            }
        });
        try (BackupReplicator r = builder().build()) {
            ReplicationReport report = r.replicate();
            assertEquals(RunStatus.PARTIAL, report.status());
            for (DestinationOutcome o : report.outcomes()) {
                if (o.destinationRegion().equals(WEST)) {
                    assertEquals(RunStatus.SUCCESS, o.status());
                    assertEquals(1, o.count(CopyAction.COPIED));
                } else {
                    assertEquals(RunStatus.FAILED, o.status());
                    assertEquals(ServiceErrorKind.ACCESS_DENIED, o.failure().kind());
                    assertTrue(o.failure().message().contains(EU), o.failure().message());
                }
            }
        }
    }

    @Test
    void unreachableSourceFailsTheRunPlainly() {
        backup(clusterA, Duration.ofDays(1));
        model.faultHook((operation, region) -> {
            throw CloudHsmModelException.of(CloudHsmModelException.ACCESS_DENIED, "credentials rejected");
        });
        try (BackupReplicator r = builder().build()) {
            ReplicationReport report = r.replicate();
            assertEquals(RunStatus.FAILED, report.status());
            assertEquals(1, report.failures().size());
            assertTrue(report.failures().get(0).message().contains("DescribeClusters"),
                    report.failures().get(0).message());
            assertTrue(report.summary().contains("nothing could be done, first failure: DescribeClusters failed in "
                    + SOURCE + ": ACCESS_DENIED"), report.summary());
        }
    }

    @Test
    void latestSelectionCopiesOnlyTheNewestBackupPerCluster() {
        backup(clusterA, Duration.ofDays(3));
        Backup newest = backup(clusterA, Duration.ofHours(1));
        backup(clusterA, Duration.ofDays(2));
        try (BackupReplicator r = builder().destinationRegions(WEST).clusterIds(clusterA)
                .selection(Selection.latest()).build()) {
            ReplicationReport report = r.replicate();
            assertEquals(1, report.copied());
            assertEquals(newest.backupId(), report.copies().findFirst().orElseThrow().sourceBackupId());
        }
    }

    @Test
    void lookBackWindowLimitsWhatIsCopied() {
        backup(clusterA, Duration.ofDays(20));
        Backup recent = backup(clusterA, Duration.ofDays(2));
        try (BackupReplicator r = builder().destinationRegions(WEST).clusterIds(clusterA)
                .selection(Selection.allWithin(Duration.ofDays(7))).build()) {
            ReplicationReport report = r.replicate();
            assertEquals(List.of(recent.backupId()),
                    report.copies().map(CopyOutcome::sourceBackupId).collect(Collectors.toList()));
        }
    }

    @Test
    void planChangesNothing() {
        backup(clusterA, Duration.ofDays(1));
        int before = model.allBackups().size();
        try (BackupReplicator r = builder().build()) {
            ReplicationPlan plan = r.plan();
            assertEquals(2, plan.copyCount());
            assertTrue(plan.describe().contains("COPY"), plan.describe());
            r.plan();
        }
        assertEquals(before, model.allBackups().size());
    }

    @Test
    void copiesCarryOwnershipProvenanceUserAndSourceTags() {
        Backup b = model.addBackup(Backup.builder("backup-taggedsourcex", SOURCE).clusterId(clusterA)
                .createTimestamp(clock.instant().minus(Duration.ofHours(1)))
                .tags(Map.of("team", "payments", "aws:cloudformation:stack", "x", "env", "source-env")).build());
        try (BackupReplicator r = builder().name("dr-prod").destinationRegions(WEST).clusterIds(clusterA)
                .copyTags(Map.of("env", "dr")).build()) {
            r.replicate();
        }
        Backup copy = liveCopiesOf(b.backupId(), WEST).get(0);
        assertEquals("dr-prod", copy.tags().get(CopyTags.OWNER));
        assertEquals(b.backupId(), copy.tags().get(CopyTags.SOURCE_BACKUP));
        assertEquals(SOURCE, copy.tags().get(CopyTags.SOURCE_REGION));
        assertEquals(clusterA, copy.tags().get(CopyTags.SOURCE_CLUSTER));
        assertEquals("dr", copy.tags().get("env"), "user tags win over source tags");
        assertEquals("payments", copy.tags().get("team"), "source tags are carried over");
        assertFalse(copy.tags().containsKey("aws:cloudformation:stack"), "aws: tags are never set");
    }

    @Test
    void copyNotYetVisibleIsNotCopiedAgainByAnImmediateRerun() {
        Backup b = backup(clusterA, Duration.ofDays(1));
        model.copyVisibilityDelay(Duration.ofMinutes(5));
        try (BackupReplicator r = builder().destinationRegions(WEST).clusterIds(clusterA).build()) {
            ReplicationReport first = r.replicate();
            CopyOutcome o = first.copies().findFirst().orElseThrow();
            assertEquals(CopyAction.COPIED, o.action());
            assertNull(o.destinationBackupId());
            ReplicationReport second = r.replicate();
            assertEquals(0, second.copied());
            assertEquals(CopyAction.IN_PROGRESS, second.copies().findFirst().orElseThrow().action());
        }
        model.completeCopies();
        assertEquals(1, liveCopiesOf(b.backupId(), WEST).size());
    }

    @Test
    void sourceDeletedBetweenPlanAndApplyIsReportedAsGone() {
        Backup b = backup(clusterA, Duration.ofDays(1));
        try (BackupReplicator r = builder().destinationRegions(WEST).clusterIds(clusterA).build()) {
            ReplicationPlan plan = r.plan();
            model.deleteBackup(SOURCE, b.backupId());
            ReplicationReport report = r.apply(plan);
            assertEquals(CopyAction.SOURCE_GONE, report.copies().findFirst().orElseThrow().action());
            assertEquals(RunStatus.SUCCESS, report.status());
        }
    }

    @Test
    void throwingListenerNeverBreaksARunAndEventsArrive() {
        backup(clusterA, Duration.ofDays(1));
        RecordingListener recording = new RecordingListener();
        ReplicationListener throwing = new ReplicationListener() {
            @Override
            public void onCopyStarted(CopyEvent event) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onRunFinished(ReplicationReport report) {
                throw new IllegalStateException("listener bug");
            }
        };
        try (BackupReplicator r = builder().clusterIds(clusterA).listener(throwing).listener(recording).build()) {
            ReplicationReport report = r.replicate();
            assertEquals(RunStatus.SUCCESS, report.status());
            assertEquals(2, report.copied());
        }
        List<Object> events = recording.events();
        assertTrue(events.get(0) instanceof ReplicationPlan, events.toString());
        assertTrue(events.get(events.size() - 1) instanceof ReplicationReport, events.toString());
        assertEquals(Set.of(WEST, EU), recording.copiesStarted().stream().map(CopyEvent::destinationRegion)
                .collect(Collectors.toSet()));
        assertEquals(2, recording.events(RecordingListener.CopySuccess.class).size());
        assertTrue(recording.copyFailures().isEmpty());
    }

    @Test
    void pagesPastFiftyBackupsPerRegion() {
        List<Backup> sources = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            sources.add(backup(clusterA, Duration.ofMinutes(10L * i + 1)));
        }
        try (BackupReplicator r = builder().clusterIds(clusterA).build()) {
            assertEquals(240, r.replicate().copied());
            assertEquals(0, r.replicate().copied());
        }
        assertExactlyOneLiveCopyEverywhere(sources);
    }
}
