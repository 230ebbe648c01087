package io.github.cloudhsmdr.it.wire;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyEvent;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.PlannedAction;
import io.github.cloudhsmdr.PlannedCopy;
import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.testkit.FaultInjector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static io.github.cloudhsmdr.it.wire.WireFixture.AP;
import static io.github.cloudhsmdr.it.wire.WireFixture.CA;
import static io.github.cloudhsmdr.it.wire.WireFixture.COPY;
import static io.github.cloudhsmdr.it.wire.WireFixture.DESCRIBE_BACKUPS;
import static io.github.cloudhsmdr.it.wire.WireFixture.DESCRIBE_CLUSTERS;
import static io.github.cloudhsmdr.it.wire.WireFixture.EU;
import static io.github.cloudhsmdr.it.wire.WireFixture.SOURCE;
import static io.github.cloudhsmdr.it.wire.WireFixture.WEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replicator with a real {@link AwsBackupStore}, its SDK clients talking HTTP to the CloudHSM emulator: the
 * engine's key scenarios, repeated over the wire (paging with real tokens, provenance fields and tags read back
 * by the SDK, copies found by {@code sourceBackupIds}).
 */
class ReplicatorOverHttpTest {
    private static final long SEED = 20261101L;

    WireFixture fx;
    AwsBackupStore store;
    String clusterA;
    String clusterB;

    @BeforeEach
    void setUp() {
        fx = new WireFixture(SEED);
        store = fx.newStore();
        clusterA = fx.model().addCluster(SOURCE).clusterId();
        clusterB = fx.model().addCluster(SOURCE).clusterId();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    void assertExactlyOneLiveCopy(List<Backup> sources, String... regions) {
        for (Backup s : sources) {
            for (String region : regions) {
                assertEquals(1, fx.liveCopies(s.backupId(), region).size(),
                        "live copies of " + s.backupId() + " in " + region);
            }
        }
    }

    @Test
    void firstRunCopiesEveryBackupOfEveryClusterToEveryDestination() {
        List<Backup> sources = List.of(fx.backup(clusterA, Duration.ofDays(1)), fx.backup(clusterA, Duration.ofDays(2)),
                fx.backup(clusterB, Duration.ofHours(3)));
        try (BackupReplicator r = fx.replicator(store, WEST, EU).name("dr-wire").build()) {
            ReplicationReport report = r.replicate();
            fx.figures("first run, 2 clusters x 3 backups x 2 destinations");
            assertEquals(RunStatus.SUCCESS, report.status(), report.describe());
            assertEquals(6, report.copied(), report.describe());
            assertEquals(4, report.outcomes().size(), "one outcome per (cluster, destination)");
            assertTrue(report.copies().allMatch(c -> c.destinationBackupId() != null
                    && c.destinationState() == BackupState.CREATE_IN_PROGRESS), report.describe());
        }
        assertExactlyOneLiveCopy(sources, WEST, EU);
        assertEquals(6, fx.count(COPY, SOURCE), "each copy sent once, in the source region");
        assertEquals(1, fx.count(DESCRIBE_CLUSTERS, SOURCE), "clusters discovered once");

        Backup first = sources.get(0);
        Backup copy = fx.copiesOverWire(store, first.backupId(), WEST).get(0);
        assertEquals(first.backupId(), copy.sourceBackup(), "provenance read back through the SDK");
        assertEquals(SOURCE, copy.sourceRegion());
        assertEquals(clusterA, copy.sourceCluster());
        assertEquals(first.createTimestamp(), copy.createTimestamp());
        assertEquals("dr-wire", copy.tags().get(CopyTags.OWNER), "ownership tag sent in the copy's TagList");
        assertEquals(first.backupId(), copy.tags().get(CopyTags.SOURCE_BACKUP));
        assertEquals(SOURCE, copy.tags().get(CopyTags.SOURCE_REGION));
        assertEquals(clusterA, copy.tags().get(CopyTags.SOURCE_CLUSTER));
    }

    @Test
    void secondRunIsIdempotentAndSendsNoCopy() {
        List<Backup> sources = List.of(fx.backup(clusterA, Duration.ofDays(1)), fx.backup(clusterB, Duration.ofDays(2)));
        try (BackupReplicator r = fx.replicator(store, WEST, EU).build()) {
            assertEquals(4, r.replicate().copied());
            long copiesSent = fx.count(COPY, SOURCE);

            ReplicationReport second = r.replicate();
            assertEquals(0, second.copied(), second.describe());
            assertEquals(4, second.count(CopyAction.IN_PROGRESS), "copies still CREATE_IN_PROGRESS are seen");
            assertEquals(RunStatus.SUCCESS, second.status());

            fx.clock.advance(Duration.ofMinutes(15));
            ReplicationReport third = r.replicate();
            assertEquals(0, third.copied(), third.describe());
            assertEquals(4, third.count(CopyAction.ALREADY_PRESENT), "READY copies are seen");
            assertEquals(copiesSent, fx.count(COPY, SOURCE), "no copy was sent again");
            fx.figures("three runs, 2 backups x 2 destinations");
        }
        assertExactlyOneLiveCopy(sources, WEST, EU);
    }

    @Test
    void newReplicatorWithNewClientsCopiesNothingAfterRestart() {
        List<Backup> sources = List.of(fx.backup(clusterA, Duration.ofDays(1)), fx.backup(clusterB, Duration.ofDays(2)));
        try (BackupReplicator first = fx.replicator(store, WEST, EU).build()) {
            assertEquals(4, first.replicate().copied());
        }
        store.close();
        long before = fx.count(COPY, SOURCE);
        try (BackupReplicator restarted = fx.replicator(fx.newStore(), WEST, EU).build()) {
            ReplicationReport report = restarted.replicate();
            assertEquals(0, report.copied(), report.describe());
            assertEquals(4, report.count(CopyAction.IN_PROGRESS), "found in the destinations, not in memory");
        }
        assertEquals(before, fx.count(COPY, SOURCE));
        assertExactlyOneLiveCopy(sources, WEST, EU);
    }

    @Test
    void newBackupIsCopiedOnTheNextRun() {
        fx.backup(clusterA, Duration.ofDays(1));
        try (BackupReplicator r = fx.replicator(store, WEST, EU).build()) {
            assertEquals(2, r.replicate().copied());
            fx.clock.advance(Duration.ofDays(1));
            Backup fresh = fx.backup(clusterB, Duration.ofMinutes(5));
            ReplicationReport report = r.replicate();
            assertEquals(2, report.copied(), report.describe());
            assertEquals(Set.of(fresh.backupId()), report.copies().filter(c -> c.action() == CopyAction.COPIED)
                    .map(CopyOutcome::sourceBackupId).collect(Collectors.toSet()));
            assertExactlyOneLiveCopy(List.of(fresh), WEST, EU);
        }
        assertEquals(4, fx.count(COPY, SOURCE));
    }

    @Test
    void copyThatFailedInsideAwsIsCopiedAgainOnTheNextRun() {
        Backup b = fx.backup(clusterA, Duration.ofDays(1));
        fx.model().failNextCopies(1);
        try (BackupReplicator r = fx.replicator(store, WEST).clusterIds(clusterA).build()) {
            assertEquals(1, r.replicate().copied());
            fx.clock.advance(Duration.ofMinutes(15));
            assertTrue(fx.liveCopies(b.backupId(), WEST).isEmpty(), "the first copy failed inside AWS");
            assertEquals("DELETED", fx.copiesOverWire(store, b.backupId(), WEST).get(0).state().name(),
                    "the failed copy reads DELETED through the SDK");

            ReplicationPlan plan = r.plan();
            PlannedCopy item = plan.destinations().get(0).items().get(0);
            assertEquals(PlannedAction.RECOPY, item.action(), plan.describe());
            ReplicationReport report = r.apply(plan);
            assertEquals(1, report.copied(), report.describe());
            fx.clock.advance(Duration.ofMinutes(15));
        }
        assertEquals(1, fx.liveCopies(b.backupId(), WEST).size());
        assertEquals(BackupState.READY, fx.liveCopies(b.backupId(), WEST).get(0).state());
        assertEquals(2, fx.count(COPY, SOURCE));
    }

    @Test
    void copyFailingInsideAwsWhileWaitingIsReportedAndRecopiedOnceTheFaultIsGone() {
        Backup b = fx.backup(clusterA, Duration.ofDays(1));
        fx.model().copyDelay(Duration.ofMinutes(4));
        fx.faults().copyFailure(WEST, 1.0);
        try (BackupReplicator r = fx.replicator(store, WEST).clusterIds(clusterA).waitForReady(Duration.ofMinutes(30))
                .pollInterval(Duration.ofMinutes(1), Duration.ofMinutes(2)).build()) {
            ReplicationReport failed = r.replicate();
            CopyOutcome o = failed.copies().findFirst().orElseThrow();
            assertEquals(CopyAction.FAILED, o.action(), failed.describe());
            assertEquals(ServiceErrorKind.COPY_FAILED, o.failure().kind());
            assertTrue(o.failure().isTransient());
            assertEquals(RunStatus.FAILED, failed.status());
            assertEquals(1, fx.faults().count(FaultInjector.Kind.COPY_FAILURE));

            fx.faults().copyFailure(WEST, 0.0);
            ReplicationReport again = r.replicate();
            CopyOutcome ok = again.copies().findFirst().orElseThrow();
            assertEquals(CopyAction.COPIED, ok.action(), again.describe());
            assertEquals(BackupState.READY, ok.destinationState());
            assertEquals(RunStatus.SUCCESS, again.status());
        }
        assertEquals(1, fx.liveCopies(b.backupId(), WEST).size());
    }

    @Test
    void pagesPastFiftyBackupsPerRegionWithRealTokens() {
        List<Backup> sources = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            sources.add(fx.backup(clusterA, Duration.ofMinutes(10L * i + 1)));
        }
        try (BackupReplicator r = fx.replicator(store, WEST, EU).clusterIds(clusterA).build()) {
            ReplicationReport first = r.replicate();
            assertEquals(260, first.copied(), first.summary());
            assertEquals(RunStatus.SUCCESS, first.status());
            assertEquals(3, fx.count(DESCRIBE_BACKUPS, SOURCE), "130 source backups are read in 3 pages of <= 50");
            fx.figures("130 backups x 2 destinations, first run");

            fx.clock.advance(Duration.ofMinutes(15));
            fx.requests().clear();
            ReplicationReport second = r.replicate();
            assertEquals(0, second.copied(), second.summary());
            assertEquals(260, second.count(CopyAction.ALREADY_PRESENT));
            assertEquals(0, fx.count(COPY, SOURCE));
            fx.figures("130 backups x 2 destinations, second run");

            fx.requests().clear();
            RecoveryPointReport points = r.measureRecoveryPoints();
            for (String region : List.of(WEST, EU)) {
                assertEquals(3, fx.count(DESCRIBE_BACKUPS, region),
                        "130 READY copies in " + region + " are read in 3 pages");
                RecoveryPoint p = points.points().stream().filter(x -> x.region().equals(region)).findFirst()
                        .orElseThrow();
                assertEquals(sources.get(0).createTimestamp(), p.createTimestamp(),
                        "the newest copy is found on the first of the pages in " + region);
            }

            fx.requests().clear();
            try (BackupReplicator keep100 = r.config().toBuilder().backupStore(store)
                    .retentionPolicy(RetentionPolicy.builder().keepLast(100).build()).build()) {
                ReplicationReport retention = keep100.replicate();
                fx.figures("130 copies x 2 destinations, retention keepLast 100");
                assertEquals(RunStatus.SUCCESS, retention.status(), retention.summary());
                assertEquals(60, retention.deleted(), "the 30 oldest copies in each region");
            }
            for (String region : List.of(WEST, EU)) {
                assertEquals(30, fx.count("DeleteBackup", region));
                assertTrue(fx.count(DESCRIBE_BACKUPS, region) >= 3, "retention's inventory of 130 copies in "
                        + region + " is read in pages of <= 50");
                List<Backup> pending = fx.model().backupsIn(region).stream()
                        .filter(b -> b.state() == BackupState.PENDING_DELETION).collect(Collectors.toList());
                assertEquals(Set.copyOf(sources.subList(100, 130).stream().map(Backup::backupId).toList()),
                        pending.stream().map(Backup::sourceBackup).collect(Collectors.toSet()),
                        "the oldest 30 went in " + region);
            }
        }
        assertExactlyOneLiveCopy(sources, WEST, EU);
    }

    @Test
    void concurrentDestinationsLeaveExactlyOneLiveCopyPerBackupAndRegion() {
        List<Backup> sources = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sources.add(fx.backup(clusterA, Duration.ofHours(i + 1)));
            sources.add(fx.backup(clusterB, Duration.ofHours(i + 1)));
        }
        Set<String> workerThreads = ConcurrentHashMap.newKeySet();
        Map<String, Set<String>> threadsPerRegion = new ConcurrentHashMap<>();
        ReplicationListener threads = new ReplicationListener() {
            @Override
            public void onCopyStarted(CopyEvent event) {
                String t = Thread.currentThread().getName();
                workerThreads.add(t);
                threadsPerRegion.computeIfAbsent(event.destinationRegion(), k -> ConcurrentHashMap.newKeySet()).add(t);
            }
        };
        String[] regions = {WEST, EU, AP, CA};
        try (BackupReplicator r = fx.replicator(store, regions).maxConcurrentDestinations(4).listener(threads)
                .build()) {
            ReplicationReport report = r.replicate();
            fx.figures("10 backups x 4 destinations, 4 at once");
            assertEquals(RunStatus.SUCCESS, report.status(), report.describe());
            assertEquals(40, report.copied());
            assertEquals(0, r.replicate().copied(), "an immediate second run copies nothing");
        }
        // the copies of all destinations start side by side (they share the source region's limit)
        assertEquals(Set.of(WEST, EU, AP, CA), threadsPerRegion.keySet());
        assertTrue(workerThreads.size() >= 4, "copies started on several threads: " + threadsPerRegion);
        assertExactlyOneLiveCopy(sources, regions);
        assertEquals(40, fx.count(COPY, SOURCE));
    }

    @Test
    void copiesOfCopiesAreSkippedOverTheWire() {
        Backup own = fx.backup(clusterA, Duration.ofDays(1));
        Backup imported = fx.model().addBackup(Backup.builder("backup-importedcopyx", SOURCE).clusterId(clusterA)
                .createTimestamp(fx.clock.instant().minus(Duration.ofHours(2))).state(BackupState.READY)
                .sourceRegion(WEST).sourceBackup("backup-originalinwest").sourceCluster("cluster-westclusterx")
                .build());
        try (BackupReplicator r = fx.replicator(store, WEST, EU).clusterIds(clusterA).build()) {
            ReplicationReport report = r.replicate();
            assertEquals(2, report.copied(), report.describe());
            List<CopyOutcome> skipped = report.copies().filter(c -> c.sourceBackupId().equals(imported.backupId()))
                    .collect(Collectors.toList());
            assertEquals(2, skipped.size());
            skipped.forEach(s -> {
                assertEquals(CopyAction.SKIPPED, s.action());
                assertTrue(s.detail().contains("is itself a copy of backup-originalinwest from " + WEST), s.detail());
            });
        }
        assertTrue(fx.liveCopies(imported.backupId(), EU).isEmpty());
        assertExactlyOneLiveCopy(List.of(own), WEST, EU);
        assertEquals(2, fx.count(COPY, SOURCE));
    }

    @Test
    void waitsForReadyOnVirtualTimeWithTheModelsCopyDelay() {
        fx.backup(clusterA, Duration.ofDays(1));
        fx.model().copyDelay(Duration.ofMinutes(7));
        List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
        Instant start = fx.clock.instant();
        try (BackupReplicator r = fx.replicator(store, WEST).clusterIds(clusterA).waitForReady(Duration.ofHours(1))
                .pollInterval(Duration.ofMinutes(1), Duration.ofMinutes(4)).sleeper(d -> {
                    waits.add(d);
                    fx.clock.advance(d);
                }).build()) {
            ReplicationReport report = r.replicate();
            CopyOutcome o = report.copies().findFirst().orElseThrow();
            assertEquals(BackupState.READY, o.destinationState(), report.describe());
            assertEquals("copied and verified READY", o.detail());
            assertNotNull(o.destinationBackupId());
            fx.figures("wait for READY, copy delay 7 min");
        }
        assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4)), waits);
        assertEquals(Duration.ofMinutes(7), Duration.between(start, fx.clock.instant()));
        // plan listing + lookup after the copy + three polls (replicate() does not look up again before copying)
        assertEquals(5, fx.count(DESCRIBE_BACKUPS, WEST));
    }

    @Test
    void copiesNotReadyByTheDeadlineAreReportedNotReadyAndFoundByTheNextRun() {
        Backup b = fx.backup(clusterA, Duration.ofDays(1));
        fx.model().copyDelay(Duration.ofHours(2));
        try (BackupReplicator r = fx.replicator(store, WEST).clusterIds(clusterA).waitForReady(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMinutes(1), Duration.ofMinutes(2)).build()) {
            ReplicationReport first = r.replicate();
            assertEquals(RunStatus.PARTIAL, first.status(), first.describe());
            CopyOutcome o = first.copies().findFirst().orElseThrow();
            assertEquals(CopyAction.NOT_READY, o.action());
            assertEquals(BackupState.CREATE_IN_PROGRESS, o.destinationState());
            assertTrue(o.detail().contains("not READY within"), o.detail());
            assertFalse(o.failed());

            fx.clock.advance(Duration.ofHours(2));
            CopyOutcome later = r.replicate().copies().findFirst().orElseThrow();
            assertEquals(CopyAction.ALREADY_PRESENT, later.action());
        }
        assertEquals(1, fx.count(COPY, SOURCE));
        assertEquals(1, fx.liveCopies(b.backupId(), WEST).size());
    }
}
