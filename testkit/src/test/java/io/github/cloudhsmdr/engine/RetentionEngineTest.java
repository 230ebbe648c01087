package io.github.cloudhsmdr.engine;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.PlannedAction;
import io.github.cloudhsmdr.PlannedCopy;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.UndoOutcome;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetentionEngineTest extends ModelFixture {

    @Override
    long modelSeed() {
        return 5L;
    }

    @Override
    String startsAt() {
        return "2026-10-01T03:00:00Z";
    }

    @BeforeEach
    void copiesTakeHalfAnHour() {
        model.copyDelay(Duration.ofMinutes(30));
    }

    ReplicatorBuilder builder(RetentionPolicy policy) {
        return BackupReplicator.builder().name("dr").sourceRegion(SOURCE).destinationRegions(WEST)
                .clusterIds(cluster).backupStore(store).clock(clock).sleeper(clock::advance)
                .retentionPolicy(policy).waitForReady(Duration.ofHours(2));
    }

    List<Backup> readyCopies() {
        return model.backupsIn(WEST).stream().filter(b -> b.state() == BackupState.READY)
                .sorted((a, b) -> b.createTimestamp().compareTo(a.createTimestamp())).collect(Collectors.toList());
    }

    @Test
    void aMonthOfDailyRunsKeepsWhatThePolicySaysAndNeverChurns() {
        RetentionPolicy policy = RetentionPolicy.builder().keepDaily(7).keepWeekly(4).build();
        Map<String, Integer> copiesPerSource = new HashMap<>();
        List<String> deletedSources = new ArrayList<>();
        try (BackupReplicator r = builder(policy).build()) {
            for (int day = 0; day < 35; day++) {
                model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
                ReplicationReport report = r.replicate();
                assertEquals(RunStatus.SUCCESS, report.status(), report.describe());
                report.copies().filter(c -> c.action() == CopyAction.COPIED)
                        .forEach(c -> copiesPerSource.merge(c.sourceBackupId(), 1, Integer::sum));
                report.deletions().forEach(d -> {
                    assertTrue(d.succeeded(), d.toString());
                    deletedSources.add(d.sourceBackupId());
                });
                clock.advance(Duration.ofDays(1));
            }
        }
        assertTrue(copiesPerSource.values().stream().allMatch(n -> n == 1), "no source copied twice: " + copiesPerSource);
        assertEquals(deletedSources.size(), new TreeSet<>(deletedSources).size(), "no copy deleted twice");
        assertFalse(deletedSources.isEmpty());
        // Final inventory: the 7 newest days plus the newest copy of each of the 4 newest ISO weeks.
        List<Backup> ready = readyCopies();
        Set<String> days = ready.stream().map(b -> b.createTimestamp().atZone(ZoneOffset.UTC).toLocalDate().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(ready.size(), days.size(), "one copy per day at most");
        assertTrue(ready.size() >= 7 && ready.size() <= 11, "7 dailies + up to 4 weeklies, was " + ready.size());
        List<java.time.LocalDate> newestSeven = ready.subList(0, 7).stream()
                .map(b -> b.createTimestamp().atZone(ZoneOffset.UTC).toLocalDate()).toList();
        for (int i = 1; i < 7; i++) {
            assertEquals(newestSeven.get(i - 1).minusDays(1), newestSeven.get(i), "the 7 newest days: " + newestSeven);
        }
        long pending = model.backupsIn(WEST).stream().filter(b -> b.state() == BackupState.PENDING_DELETION).count();
        assertEquals(deletedSources.size(), pending + model.backupsIn(WEST).stream()
                .filter(b -> b.state() == BackupState.DELETED).count());
    }

    @Test
    void neverDeletesCopiesItDidNotCreateOrNeverExpiresCopies() {
        RetentionPolicy policy = RetentionPolicy.builder().keepLast(1).build();
        Instant old = clock.instant().minus(Duration.ofDays(3));
        Backup foreign = model.addBackup(Backup.builder("backup-foreigncopyaa", WEST).clusterId(cluster)
                .createTimestamp(old).sourceRegion(SOURCE).sourceBackup("backup-someothersrcx").sourceCluster(cluster)
                .tags(Map.of(CopyTags.OWNER, "someone-else")).build());
        Backup untagged = model.addBackup(Backup.builder("backup-untaggedcopya", WEST).clusterId(cluster)
                .createTimestamp(old).sourceRegion(SOURCE).sourceBackup("backup-someothersrcy").sourceCluster(cluster)
                .build());
        Backup pinned = model.addBackup(Backup.builder("backup-pinnedcopyaaa", WEST).clusterId(cluster)
                .createTimestamp(old).sourceRegion(SOURCE).sourceBackup("backup-someothersrcz").sourceCluster(cluster)
                .neverExpires(true).tags(Map.of(CopyTags.OWNER, "dr")).build());
        for (int i = 0; i < 3; i++) {
            model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(10 - i)));
        }
        try (BackupReplicator r = builder(policy).selection(Selection.allWithin(Duration.ofDays(1))).build()) {
            ReplicationReport first = r.replicate();
            clock.advance(Duration.ofDays(1));
            model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
            ReplicationReport second = r.replicate();
            Set<String> deleted = new TreeSet<>();
            first.deletions().forEach(d -> deleted.add(d.backupId()));
            second.deletions().forEach(d -> deleted.add(d.backupId()));
            assertFalse(deleted.contains(foreign.backupId()));
            assertFalse(deleted.contains(untagged.backupId()));
            assertFalse(deleted.contains(pinned.backupId()));
            assertTrue(second.deleted() >= 1, second.describe());
        }
        for (Backup b : List.of(foreign, untagged, pinned)) {
            assertEquals(BackupState.READY, model.backup(WEST, b.backupId()).state(), b.backupId());
        }
    }

    @Test
    void planListsEveryCandidateWithItsVerdictAndReasonsAndChangesNothing() {
        RetentionPolicy policy = RetentionPolicy.builder().keepLast(2).build();
        try (BackupReplicator r = builder(policy).build()) {
            for (int i = 0; i < 4; i++) {
                model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
                r.replicate();
                clock.advance(Duration.ofDays(1));
            }
            model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
            List<Backup> before = model.allBackups();
            ReplicationPlan plan = r.plan();
            assertEquals(before, model.allBackups(), "plan() changes nothing");
            var dest = plan.destinations().get(0);
            // the copy this run makes takes one of the two slots: retention is decided for after the run's copies
            assertEquals(1, dest.retention().stream().filter(d -> d.verdict() == RetentionVerdict.KEEP).count(),
                    plan.describe());
            assertTrue(dest.retention().stream().allMatch(d -> !d.reasons().isEmpty()));
            assertTrue(plan.describe().contains("retention KEEP"), plan.describe());
        }
    }

    @Test
    void whenNothingChangedBetweenPlanAndApplyApplyDeletesExactlyThePlansDeletions() {
        RetentionPolicy policy = RetentionPolicy.builder().keepLast(2).build();
        for (Duration wait : List.of(Duration.ZERO, Duration.ofHours(2))) {
            try (BackupReplicator keepAll = builder(policy).noRetention().build()) {
                for (int i = 0; i < 4; i++) {
                    model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
                    keepAll.replicate();
                    model.completeCopies();
                    clock.advance(Duration.ofDays(1));
                }
            }
            model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
            try (BackupReplicator r = builder(policy).waitForReady(wait).build()) {
                ReplicationPlan plan = r.plan();
                Set<String> planned = new TreeSet<>();
                plan.destinations().forEach(d -> d.toDelete().forEach(x -> planned.add(x.backupId())));
                assertFalse(planned.isEmpty(), plan.describe());
                ReplicationReport report = r.apply(plan);
                Set<String> deleted = new TreeSet<>();
                report.deletions().filter(Deletion::succeeded).forEach(d -> deleted.add(d.backupId()));
                assertEquals(planned, deleted, "waitForReady=" + wait + "\n" + plan.describe() + report.describe());
                assertEquals(planned.size(), plan.deletionCount());
            }
            clock.advance(Duration.ofDays(1));
        }
    }

    @Test
    void sourceOlderThanWhatThePolicyKeepsIsNotCopied() {
        RetentionPolicy policy = RetentionPolicy.builder().keepLast(2).build();
        Backup newest = model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(2)));
        Backup oldest = model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(3)));
        try (BackupReplicator r = builder(policy).build()) {
            ReplicationPlan plan = r.plan();
            PlannedCopy item = plan.destinations().get(0).items().stream()
                    .filter(i -> i.sourceBackupId().equals(oldest.backupId())).findFirst().orElseThrow();
            assertEquals(PlannedAction.SKIP, item.action());
            assertTrue(item.reason().startsWith("retention would not keep a copy of it"), item.reason());
            ReplicationReport report = r.apply(plan);
            assertEquals(2, report.copied());
            assertEquals(0, report.deleted());
        }
        assertEquals(Set.of(newest.backupId()), Set.of(readyCopies().get(0).sourceBackup()));
    }

    @Test
    void deletionsWaitUntilTheRunsCopiesAreInPlace() {
        RetentionPolicy policy = RetentionPolicy.builder().keepLast(1).build();
        try (BackupReplicator keepAll = builder(policy).noRetention().build()) {
            for (int i = 0; i < 2; i++) {
                model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
                keepAll.replicate();
                clock.advance(Duration.ofDays(1));
            }
        }
        assertEquals(2, readyCopies().size());
        try (BackupReplicator r = builder(policy).build()) {
            model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
            model.failNextCopies(1);
            ReplicationReport failedCopy = r.replicate();
            assertEquals(RunStatus.PARTIAL, failedCopy.status());
            assertEquals(0, failedCopy.deleted(), failedCopy.describe());
            assertTrue(failedCopy.describe().contains("retention: deferred: a copy in this run failed"),
                    failedCopy.describe());
            assertEquals(2, readyCopies().size(), "nothing deleted while the new copy is not in place");
            ReplicationReport retry = r.replicate();
            assertEquals(1, retry.copied(), retry.describe());
            assertEquals(2, retry.deleted(), retry.describe());
        }
        assertEquals(1, readyCopies().size());
    }

    @Test
    void copyListedWithoutSourceFieldsIsRecognisedByItsProvenanceTags() {
        Backup source = model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        model.addBackup(Backup.builder("backup-tagonlycopyaa", WEST).createTimestamp(source.createTimestamp())
                .tags(Map.of(CopyTags.OWNER, "dr", CopyTags.SOURCE_BACKUP, source.backupId(),
                        CopyTags.SOURCE_REGION, SOURCE, CopyTags.SOURCE_CLUSTER, cluster)).build());
        try (BackupReplicator r = builder(RetentionPolicy.builder().keepLast(3).build()).build()) {
            ReplicationReport report = r.replicate();
            assertEquals(0, report.copied(), report.describe());
            assertEquals(CopyAction.ALREADY_PRESENT, report.copies().findFirst().orElseThrow().action());
        }
    }

    @Test
    void undoBringsBackTheDeletionsOfARun() {
        RetentionPolicy policy = RetentionPolicy.builder().keepLast(1).build();
        ReplicationReport withDeletion;
        try (BackupReplicator r = builder(policy).build()) {
            model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
            r.replicate();
            clock.advance(Duration.ofDays(1));
            model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
            withDeletion = r.replicate();
            Deletion d = withDeletion.deletions().findFirst().orElseThrow();
            assertNotNull(d.deleteTimestamp());
            assertEquals(clock.instant().plus(Duration.ofDays(7)).getEpochSecond(), d.deleteTimestamp().getEpochSecond(),
                    1800, "7-day soft delete");
            assertTrue(withDeletion.describe().contains("pending deletion until"), withDeletion.describe());
            List<UndoOutcome> undone = r.undoDeletions(withDeletion);
            assertEquals(1, undone.size());
            assertTrue(undone.get(0).restored());
            assertEquals(BackupState.READY, undone.get(0).state());
            assertEquals(2, readyCopies().size());
            List<UndoOutcome> again = r.undoDeletions(withDeletion);
            assertFalse(again.get(0).restored(), "a copy that is not pending deletion cannot be restored");
        }
    }
}
