package io.github.cloudhsmdr.engine;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ClusterRestorer;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointStatus;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.RestoreRequest;
import io.github.cloudhsmdr.RestoreResult;
import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A copy dated far in the future, or whose provenance tags name another cluster than the service does, must not
 * steer retention, the restorer or the recovery points: it is never the newest copy, never makes real copies go,
 * is restored only when named, and never for a cluster its provenance does not name.
 */
class TimeAndProvenanceEngineTest {
    static final String SOURCE = "us-east-1";
    static final String WEST = "us-west-2";
    static final List<String> SUBNETS = List.of("subnet-1");

    MutableClock clock;
    CloudHsmModel model;
    InMemoryBackupStore store;
    String cluster;
    String otherCluster;

    @BeforeEach
    void setUp() {
        clock = MutableClock.at("2026-11-01T12:00:00Z");
        model = new CloudHsmModel(clock, 13L).copyDelay(Duration.ofMinutes(20));
        store = new InMemoryBackupStore(model);
        cluster = model.addCluster(SOURCE).clusterId();
        otherCluster = model.addCluster(SOURCE).clusterId();
    }

    ReplicatorBuilder builder() {
        return BackupReplicator.builder().name("dr").sourceRegion(SOURCE).destinationRegions(WEST)
                .clusterIds(cluster, otherCluster).backupStore(store).clock(clock).sleeper(clock::advance)
                .waitForReady(Duration.ofHours(1));
    }

    /** Three daily backups of each cluster, copied to WEST (READY); then two days pass. */
    List<Backup> threeRealCopiesOfEachCluster() {
        for (int day = 3; day >= 1; day--) {
            model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofDays(day)));
            model.addBackup(SOURCE, otherCluster, clock.instant().minus(Duration.ofDays(day)));
        }
        try (BackupReplicator r = builder().build()) {
            r.replicate();
        }
        clock.advance(Duration.ofDays(2));
        return copiesOf(cluster);
    }

    List<Backup> copiesOf(String sourceCluster) {
        return model.backupsIn(WEST).stream().filter(b -> sourceCluster.equals(b.sourceCluster()))
                .filter(b -> b.state() == BackupState.READY)
                .sorted(Comparator.comparing(Backup::createTimestamp)).toList();
    }

    /** A READY copy of {@code cluster} with our tags, dated ten years ahead. */
    Backup futureCopy() {
        String id = "backup-fffffffffff";
        return model.addBackup(Backup.builder(id, WEST).state(BackupState.READY).clusterId(cluster)
                .createTimestamp(clock.instant().plus(Duration.ofDays(3650))).copyTimestamp(clock.instant())
                .sourceRegion(SOURCE).sourceBackup("backup-ffffffffsrc").sourceCluster(cluster)
                .hsmType("hsm2m.medium").tags(Map.of(CopyTags.OWNER, "dr", CopyTags.SOURCE_REGION, SOURCE,
                        CopyTags.SOURCE_CLUSTER, cluster, CopyTags.SOURCE_BACKUP, "backup-ffffffffsrc")).build());
    }

    @Test
    void retentionNeverDeletesTheRealCopiesBecauseOfAFutureCopy() {
        List<Backup> real = threeRealCopiesOfEachCluster();
        Backup future = futureCopy();
        Backup newestReal = real.get(real.size() - 1);

        try (BackupReplicator r = builder().retentionPolicy(RetentionPolicy.builder().keepLast(1).build()).build()) {
            ReplicationPlan plan = r.plan();
            RetentionDecision forFuture = plan.destinations().stream().flatMap(d -> d.retention().stream())
                    .filter(d -> d.backupId().equals(future.backupId())).findFirst().orElseThrow();
            assertEquals(RetentionVerdict.PROTECTED, forFuture.verdict(), plan.describe());
            assertTrue(forFuture.reasons().toString().contains("in the future"), forFuture.reasons().toString());
            ReplicationReport report = r.apply(plan);
            assertTrue(report.deletions().noneMatch(d -> d.backupId().equals(newestReal.backupId())),
                    report.describe());
        }
        assertEquals(BackupState.READY, state(newestReal), "the newest real copy stays");
        assertEquals(BackupState.READY, state(future), "the future copy is never deleted");
    }

    BackupState state(Backup b) {
        return model.backupsIn(WEST).stream().filter(x -> x.backupId().equals(b.backupId())).findFirst()
                .orElseThrow().state();
    }

    @Test
    void theRestorerPicksTheNewestRealCopyAndTheFutureOneOnlyWhenNamed() {
        List<Backup> real = threeRealCopiesOfEachCluster();
        Backup future = futureCopy();
        ClusterRestorer restorer = ClusterRestorer.of(store, clock);

        assertEquals(real.get(real.size() - 1).backupId(),
                restorer.newestRestorable(WEST, cluster).orElseThrow().backupId());
        RestoreResult newest = restorer.restore(RestoreRequest.newestOf(cluster, WEST, SUBNETS));
        assertEquals(real.get(real.size() - 1).backupId(), newest.backup().backupId());

        RestoreResult named = restorer.restore(new RestoreRequest(WEST, cluster, future.backupId(), null, SUBNETS,
                Map.of()));
        assertEquals(future.backupId(), named.backup().backupId(), "named explicitly, it is restored");
    }

    @Test
    void anExplicitBackupOfAnotherClusterIsRefusedForARestoreOfThisOne() {
        threeRealCopiesOfEachCluster();
        Backup ofOther = copiesOf(otherCluster).get(0);
        ClusterRestorer restorer = ClusterRestorer.of(store, clock);
        int clustersBefore = model.describeClusters(WEST, java.util.Set.of(), null, null).clusters().size();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> restorer.restore(
                new RestoreRequest(WEST, cluster, ofOther.backupId(), null, SUBNETS, Map.of())));
        assertTrue(e.getMessage().contains(otherCluster) && e.getMessage().contains(cluster), e.getMessage());
        assertEquals(clustersBefore, model.describeClusters(WEST, java.util.Set.of(), null, null).clusters().size(),
                "no cluster was created");
    }

    @Test
    void aCopyTaggedForThisClusterThatTheServiceSaysIsAnothersIsNeverUsedForIt() {
        threeRealCopiesOfEachCluster();
        Backup ofOther = copiesOf(otherCluster).get(copiesOf(otherCluster).size() - 1);
        Map<String, String> forged = new HashMap<>(ofOther.tags());
        forged.put(CopyTags.SOURCE_CLUSTER, cluster);
        model.tagResource(WEST, ofOther.backupId(), forged);
        ClusterRestorer restorer = ClusterRestorer.of(store, clock);

        assertThrows(IllegalArgumentException.class, () -> restorer.restore(
                new RestoreRequest(WEST, cluster, ofOther.backupId(), null, SUBNETS, Map.of())));
        assertThrows(IllegalArgumentException.class, () -> restorer.restore(
                new RestoreRequest(WEST, otherCluster, ofOther.backupId(), null, SUBNETS, Map.of())),
                "its provenance is contradictory: not restored for either cluster without a look by hand");
        assertTrue(restorer.newestRestorable(WEST, otherCluster).map(b -> !b.backupId().equals(ofOther.backupId()))
                .orElse(true), "not chosen automatically either");
    }

    @Test
    void aFutureCopyNeverMakesTheRecoveryPointLookFresh() {
        List<Backup> real = threeRealCopiesOfEachCluster();
        futureCopy();

        try (BackupReplicator r = builder().build()) {
            RecoveryPoint west = r.measureRecoveryPoints().points().stream()
                    .filter(p -> p.region().equals(WEST) && p.clusterId().equals(cluster)).findFirst().orElseThrow();
            assertEquals(real.get(real.size() - 1).backupId(), west.backupId(), west.toString());
            assertEquals(RecoveryPointStatus.CRITICAL, west.status(), "three days old: " + west);
        }
    }
}
