package io.github.cloudhsmdr.engine;

import io.github.cloudhsmdr.AdoptionOutcome;
import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.CloudHsmModelException;
import io.github.cloudhsmdr.testkit.FaultInjector;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Copies that lack the ownership tag (the service dropped the TagList, or someone stripped the tags): never
 * deleted, never copied again, always reported.
 */
class UntaggedCopiesTest {
    static final String SOURCE = "us-east-1";
    static final String WEST = "us-west-2";
    static final String EU = "eu-west-1";
    static final RetentionPolicy POLICY = RetentionPolicy.builder().keepDaily(7).keepWeekly(4).build();

    MutableClock clock;
    CloudHsmModel model;
    InMemoryBackupStore store;
    FaultInjector faults;
    String cluster;

    @BeforeEach
    void setUp() {
        clock = MutableClock.at("2026-11-01T12:00:00Z");
        model = new CloudHsmModel(clock, 21L);
        faults = new FaultInjector(21L);
        model.faultHook(faults);
        store = new InMemoryBackupStore(model);
        cluster = model.addCluster(SOURCE).clusterId();
        for (int day = 0; day < 30; day++) {
            model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofDays(day)).minus(Duration.ofHours(2)));
        }
    }

    ReplicatorBuilder builder() {
        return BackupReplicator.builder().name("dr").sourceRegion(SOURCE).destinationRegions(WEST, EU)
                .backupStore(store).clock(clock).sleeper(clock::advance).retentionPolicy(POLICY)
                .selection(Selection.allWithin(Duration.ofDays(40)));
    }

    long liveCopies(String region) {
        return model.backupsIn(region).stream().filter(b -> b.state().isLive()).count();
    }

    static DestinationOutcome pair(ReplicationReport report, String region) {
        return report.outcomes().stream().filter(o -> o.destinationRegion().equals(region)).findFirst()
                .orElseThrow();
    }

    @Test
    void aSecondRunWithIdenticalInputsCopiesAndDeletesNothingWhenTheServiceDropsTheTags() {
        faults.dropCopyTags(FaultInjector.ANY, 1.0);
        try (BackupReplicator r = builder().build()) {
            ReplicationReport first = r.replicate();
            long copied = first.copied();
            assertTrue(copied > 0 && copied < 60, first.summary());
            assertEquals(RunStatus.PARTIAL, first.status(), first.describe());
            DestinationOutcome west = pair(first, WEST);
            assertEquals(RunStatus.PARTIAL, west.status(), first.describe());
            assertEquals(copied / 2, west.untaggedCopies(), first.describe());
            assertTrue(west.reasons().stream().anyMatch(x -> x.contains("arrived without the ownership and "
                    + "provenance tags") && x.contains("adoptCopies")), west.reasons().toString());
            long westAfterFirst = liveCopies(WEST);

            ReplicationReport second = r.replicate();
            assertEquals(0, second.copied(), second.describe());
            assertEquals(0, second.deleted(), second.describe());
            assertEquals(westAfterFirst, liveCopies(WEST));
            assertEquals(RunStatus.SUCCESS, second.status(), "copies found untagged are counted, not failed: "
                    + second.describe());
            assertEquals(copied, second.untaggedCopies(), second.describe());
            assertTrue(second.summary().contains("lack the ownership tag"), second.summary());
            ReplicationPlan plan = r.plan();
            assertEquals(copied / 2, plan.destinations().stream().filter(d -> d.destinationRegion().equals(WEST))
                    .mapToInt(d -> d.untaggedCopies().size()).sum());
            assertTrue(plan.describe().contains("untagged copies"), plan.describe());
        }
        assertTrue(faults.count(FaultInjector.Kind.COPY_TAGS_DROPPED) > 0);
    }

    @Test
    void tagsRemovedLaterNeitherCauseCopiesNorDeletions() {
        faults.stripTagsLater(WEST, 1.0);
        try (BackupReplicator r = builder().build()) {
            ReplicationReport first = r.replicate();
            model.completeCopies();
            long westAfterFirst = liveCopies(WEST);
            assertTrue(model.backupsIn(WEST).stream().allMatch(b -> b.tags().get(CopyTags.OWNER) == null),
                    model.backupsIn(WEST).toString());
            for (int i = 0; i < 3; i++) {
                ReplicationReport again = r.replicate();
                assertEquals(0, again.copied(), again.describe());
                assertEquals(0, again.deleted(), again.describe());
                assertEquals(pair(first, WEST).copies().stream().filter(c -> c.destinationBackupId() != null)
                        .count(), pair(again, WEST).untaggedCopies(), again.describe());
                assertEquals(0, pair(again, EU).untaggedCopies(), again.describe());
                assertTrue(again.summary().contains("lack the ownership tag"), again.summary());
            }
            assertEquals(westAfterFirst, liveCopies(WEST));
            assertEquals(first.copied() / 2, pair(first, WEST).copies().stream()
                    .filter(c -> c.destinationBackupId() != null).count());
        }
    }

    @Test
    void repairTagsPutsTheTagsBack() {
        faults.dropCopyTags(WEST, 1.0);
        try (BackupReplicator r = builder().repairTags(true).build()) {
            ReplicationReport report = r.replicate();
            assertEquals(RunStatus.SUCCESS, report.status(), report.describe());
            assertEquals(0, report.untaggedCopies(), report.describe());
        }
        List<Backup> west = model.backupsIn(WEST);
        assertFalse(west.isEmpty());
        for (Backup b : west) {
            assertEquals("dr", b.tags().get(CopyTags.OWNER), b.toString());
            assertEquals(b.sourceBackup(), b.tags().get(CopyTags.SOURCE_BACKUP), b.toString());
            assertEquals(cluster, b.tags().get(CopyTags.SOURCE_CLUSTER), b.toString());
        }
    }

    @Test
    void whenIamRefusesTheRepairTheReportSaysSoAndNamesTheRemedy() {
        faults.dropCopyTags(WEST, 1.0).error("TagResource", WEST, 1.0, CloudHsmModelException.ACCESS_DENIED);
        try (BackupReplicator r = builder().repairTags(true).build()) {
            ReplicationReport report = r.replicate();
            DestinationOutcome west = pair(report, WEST);
            assertEquals(RunStatus.PARTIAL, west.status(), report.describe());
            assertTrue(west.reasons().stream().anyMatch(x -> x.contains(ServiceErrorKind.ACCESS_DENIED.name())
                    && x.contains("adoptCopies")), report.describe());
        }
    }

    @Test
    void adoptCopiesTakesOwnershipExplicitlyAndRetentionManagesThemAfterwards() {
        faults.dropCopyTags(FaultInjector.ANY, 1.0);
        try (BackupReplicator r = builder().build()) {
            ReplicationReport first = r.replicate();
            faults.dropCopyTags(FaultInjector.ANY, 0.0);
            ReplicationPlan plan = r.plan();
            List<AdoptionOutcome> adopted = r.adoptCopies(plan);
            assertEquals(first.copied(), adopted.size());
            assertTrue(adopted.stream().allMatch(AdoptionOutcome::adopted), adopted.toString());
            assertTrue(model.allBackups().stream().filter(Backup::isCopy)
                    .allMatch(b -> "dr".equals(b.tags().get(CopyTags.OWNER))));
            ReplicationReport after = r.replicate();
            assertEquals(0, after.copied(), after.describe());
            assertEquals(0, after.deleted(), after.describe());
            assertEquals(0, after.untaggedCopies());
            assertEquals(RunStatus.SUCCESS, after.status(), after.describe());
            assertEquals(List.of(), r.adoptCopies(r.plan()), "nothing left to adopt");
        }
    }
}
