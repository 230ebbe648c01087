package io.github.cloudhsmdr.engine;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetryPolicy;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.testkit.CloudHsmModelException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Configuration that is wrong must fail before anything runs, with a message that names what is wrong — never
 * inside a run, and never by acting on regions or clusters the replicator is not configured for.
 */
class ConfigurationAtRunTimeTest extends ModelFixture {
    String otherCluster;

    @BeforeEach
    void addOtherCluster() {
        otherCluster = model.addCluster(SOURCE).clusterId();
    }

    ReplicatorBuilder builder() {
        return replicatorToWest().clusterIds(cluster).waitForReady(Duration.ofHours(2));
    }

    long liveCopies(String region) {
        return model.backupsIn(region).stream().filter(b -> b.sourceBackup() != null && b.state().isLive()).count();
    }

    /** Four daily backups of the cluster, each copied to WEST and EU (READY), no retention. */
    void fourCopiesInEachRegion() {
        for (int day = 4; day >= 1; day--) {
            model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofDays(day)));
        }
        try (BackupReplicator r = builder().destinationRegions(WEST, EU).build()) {
            r.replicate();
        }
        assertEquals(4, liveCopies(WEST));
        assertEquals(4, liveCopies(EU));
    }

    @Test
    void aSelectionWindowOfForeverFailsBeforeTheRun() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            try (BackupReplicator r = builder().selection(Selection.allWithin(ChronoUnit.FOREVER.getDuration()))
                    .build()) {
                r.replicate();
            }
        });
        assertTrue(e.getMessage().contains("selection.lookBack"), e.getMessage());
    }

    @Test
    void aHugeMaxBackoffFailsBeforeTheFirstThrottle() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        AtomicBoolean throttled = new AtomicBoolean();
        model.faultHook((op, region) -> {
            if (op.equals("CopyBackupToRegion") && throttled.compareAndSet(false, true)) {
                throw CloudHsmModelException.of(CloudHsmModelException.THROTTLING, "slow down");
            }
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            try (BackupReplicator r = builder().retryPolicy(RetryPolicy.builder()
                    .maxBackoff(Duration.ofSeconds(Long.MAX_VALUE)).build()).build()) {
                r.replicate();
            }
        });
        assertTrue(e.getMessage().contains("maxBackoff"), e.getMessage());
    }

    @Test
    void applyRefusesAPlanForARegionTheReplicatorIsNotConfiguredFor() {
        fourCopiesInEachRegion();
        ReplicationPlan plan;
        try (BackupReplicator both = builder().destinationRegions(WEST, EU)
                .retentionPolicy(RetentionPolicy.builder().keepLast(1).build()).build()) {
            plan = both.plan();
        }
        assertEquals(6, plan.deletionCount(), plan.describe());

        try (BackupReplicator westOnly = builder().retentionPolicy(RetentionPolicy.builder().keepLast(1).build())
                .build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> westOnly.apply(plan),
                    () -> "copies left in " + EU + ": " + liveCopies(EU));
            assertTrue(e.getMessage().contains(EU), e.getMessage());
        }
        assertEquals(4, liveCopies(EU), "nothing deleted in the region the replicator does not manage");
        assertEquals(4, liveCopies(WEST), "a refused plan changes nothing at all");
    }

    @Test
    void applyRefusesAPlanForAClusterTheReplicatorIsNotConfiguredFor() {
        model.addBackup(SOURCE, otherCluster, clock.instant().minus(Duration.ofHours(1)));
        ReplicationPlan plan;
        try (BackupReplicator other = builder().clusterIds(otherCluster).build()) {
            plan = other.plan();
        }
        assertEquals(1, plan.copyCount(), plan.describe());

        try (BackupReplicator r = builder().build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.apply(plan),
                    () -> "copies in " + WEST + ": " + liveCopies(WEST));
            assertTrue(e.getMessage().contains(otherCluster), e.getMessage());
        }
        assertEquals(0, liveCopies(WEST));
    }

    @Test
    void undoDeletionsRefusesTheReportOfAnotherReplicator() {
        fourCopiesInEachRegion();
        ReplicationReport report;
        try (BackupReplicator r = builder().retentionPolicy(RetentionPolicy.builder().keepLast(1).build()).build()) {
            report = r.replicate();
        }
        assertEquals(3, report.deletions().count(), report.describe());
        long pending = model.backupsIn(WEST).stream().filter(b -> b.state() == BackupState.PENDING_DELETION).count();
        assertEquals(3, pending);

        try (BackupReplicator other = builder().name("other").build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> other.undoDeletions(report), () -> "restored: " + liveCopies(WEST));
            assertTrue(e.getMessage().contains("'dr'") && e.getMessage().contains("'other'"), e.getMessage());
        }
        try (BackupReplicator euOnly = builder().destinationRegions(EU).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> euOnly.undoDeletions(report), () -> "restored: " + liveCopies(WEST));
            assertTrue(e.getMessage().contains(WEST), e.getMessage());
        }
        assertEquals(3, model.backupsIn(WEST).stream().filter(b -> b.state() == BackupState.PENDING_DELETION)
                .count(), "nothing restored");
        Backup kept = model.backupsIn(WEST).stream().filter(b -> b.state() == BackupState.READY).findFirst()
                .orElseThrow();
        assertTrue(kept.sourceBackup() != null);
    }
}
