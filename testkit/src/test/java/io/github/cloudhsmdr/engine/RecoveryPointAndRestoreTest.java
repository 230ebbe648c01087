package io.github.cloudhsmdr.engine;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ClusterRestorer;
import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.RecoveryPointStatus;
import io.github.cloudhsmdr.RestoreRequest;
import io.github.cloudhsmdr.RestoreResult;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.testkit.CloudHsmModelException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryPointAndRestoreTest extends ModelFixture {

    @BeforeEach
    void copiesTakeTwentyMinutes() {
        model.copyDelay(Duration.ofMinutes(20));
    }

    BackupReplicator replicator() {
        return BackupReplicator.builder().sourceRegion(SOURCE).destinationRegions(WEST, EU).backupStore(store)
                .clock(clock).sleeper(clock::advance).recoveryPointObjective(Duration.ofHours(28), Duration.ofHours(32))
                .build();
    }

    RecoveryPoint point(RecoveryPointReport r, String region) {
        return r.points().stream().filter(p -> p.region().equals(region)).findFirst().orElseThrow();
    }

    @Test
    void measuresAgeLagAndDistanceBehindSourcePerRegion() {
        Backup older = model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(30)));
        try (BackupReplicator r = replicator()) {
            r.replicate();
            clock.advance(Duration.ofHours(1));
            model.completeCopies();
            Backup newer = model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(2)));
            RecoveryPointReport report = r.measureRecoveryPoints();

            RecoveryPoint src = point(report, SOURCE);
            assertTrue(src.source());
            assertEquals(newer.backupId(), src.backupId());
            assertEquals(Duration.ofHours(2), src.age());
            assertEquals(RecoveryPointStatus.OK, src.status());

            RecoveryPoint west = point(report, WEST);
            assertEquals(Duration.ofHours(31), west.age());
            assertEquals(RecoveryPointStatus.WARN, west.status());
            assertEquals(Duration.ofHours(30), west.copyLag(), "copied 30 h after the source backup was made");
            assertEquals(Duration.ofHours(29), west.behindSource());
            assertEquals(older.createTimestamp(), west.createTimestamp());
            assertEquals(RecoveryPointStatus.WARN, report.worst());
            assertTrue(report.describe().contains("behind source PT29H"), report.describe());
        }
    }

    @Test
    void regionWithoutReadyCopyIsMissingAndUnreadableRegionIsUnknown() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        model.faultHook((op, region) -> {
            if (region.equals(EU)) {
                throw CloudHsmModelException.of(CloudHsmModelException.INTERNAL_FAILURE, "down");
            }
        });
        try (BackupReplicator r = replicator()) {
            RecoveryPointReport report = r.measureRecoveryPoints();
            assertEquals(RecoveryPointStatus.MISSING, point(report, WEST).status());
            assertNull(point(report, WEST).backupId());
            assertEquals(RecoveryPointStatus.UNKNOWN, point(report, EU).status());
            assertEquals(RecoveryPointStatus.MISSING, report.worst());
        }
    }

    @Test
    void restoresFromTheNewestReadyCopyInTheSurvivingRegion() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofDays(2)));
        Backup newest = model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofDays(1)));
        try (BackupReplicator r = replicator()) {
            r.replicate();
        }
        model.completeCopies();
        ClusterRestorer restorer = ClusterRestorer.of(store, clock);
        Backup copy = restorer.newestRestorable(WEST, cluster).orElseThrow();
        assertEquals(newest.backupId(), copy.sourceBackup());

        RestoreResult result = restorer.restore(RestoreRequest.newestOf(cluster, WEST, List.of("subnet-1")));
        assertEquals(copy.backupId(), result.cluster().sourceBackupId());
        assertEquals(WEST, result.cluster().region());
        assertEquals(Duration.ofDays(1), result.dataAge());
        assertTrue(result.nextSteps().stream().anyMatch(s -> s.contains("customer CA certificate of the ORIGINAL cluster "
                + cluster)), result.nextSteps().toString());
    }

    @Test
    void restoreRefusesWhenNothingIsReadyThere() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofDays(1)));
        try (BackupReplicator r = replicator()) {
            r.replicate();
        }
        ClusterRestorer restorer = ClusterRestorer.of(store, clock);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> restorer.restore(RestoreRequest.newestOf(cluster, WEST, List.of("subnet-1"))));
        assertTrue(e.getMessage().contains("no READY backup of " + cluster + " in " + WEST), e.getMessage());
    }

    @Test
    void restoreRequestValidatesItsFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RestoreRequest.newestOf("cluster-1", WEST, List.of("subnet-1")));
        assertTrue(e.getMessage().contains("sourceClusterId 'cluster-1'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RestoreRequest.newestOf(cluster, WEST, List.of()));
        assertTrue(e.getMessage().contains("subnetIds has 0 entries"), e.getMessage());
    }
}
