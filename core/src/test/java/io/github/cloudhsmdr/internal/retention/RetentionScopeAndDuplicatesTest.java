package io.github.cloudhsmdr.internal.retention;

import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.cloudhsmdr.internal.retention.Copies.copy;
import static io.github.cloudhsmdr.internal.retention.Copies.daily;
import static io.github.cloudhsmdr.internal.retention.Copies.decision;
import static io.github.cloudhsmdr.internal.retention.Copies.evaluate;
import static io.github.cloudhsmdr.internal.retention.Copies.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What retention may touch at all, and how it handles duplicate copies. */
class RetentionScopeAndDuplicatesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant OLD = Instant.parse("2026-11-01T03:00:00Z");
    private static final RetentionPolicy KEEP_LAST_1 = RetentionPolicy.builder().keepLast(1).build();

    /** Ten newer copies, so that the rules alone would delete anything older. */
    private static List<Backup> withNewerCopies(Backup... others) {
        List<Backup> all = new ArrayList<>(daily("2026-11-20", "2026-11-29", "03:00:00"));
        all.addAll(List.of(others));
        return all;
    }

    private static void assertProtected(RetentionEvaluation e, String id, String reason) {
        var d = decision(e, id);
        assertEquals(RetentionVerdict.PROTECTED, d.verdict(), d::toString);
        assertTrue(d.reasons().stream().anyMatch(r -> r.contains(reason)), () -> d + " should say " + reason);
    }

    @Test
    void neverDeletesCopiesItDidNotCreate() {
        Backup untagged = copy("untagged", OLD).tags(Map.of()).build();
        Backup otherOwner = copy("other-owner", OLD).tags(Map.of(CopyTags.OWNER, "someone-else")).build();
        RetentionEvaluation e = evaluate(KEEP_LAST_1, withNewerCopies(untagged, otherOwner), NOW);
        assertProtected(e, "untagged", "no ownership tag " + CopyTags.OWNER);
        assertProtected(e, "other-owner", "made by replicator 'someone-else', not 'dr-main'");
        assertEquals(9, e.toDelete().size());
    }

    @Test
    void neverDeletesNeverExpiresOrNonReadyCopies() {
        List<Backup> all = withNewerCopies(
                copy("never-expires", OLD).neverExpires(true).build(),
                copy("in-progress", OLD).state(BackupState.CREATE_IN_PROGRESS).build(),
                copy("pending", OLD).state(BackupState.PENDING_DELETION).build(),
                copy("deleted", OLD).state(BackupState.DELETED).build(),
                copy("unknown", OLD).state(BackupState.UNKNOWN).build(),
                copy("no-timestamp", null).build());
        RetentionEvaluation e = evaluate(KEEP_LAST_1, all, NOW);
        assertProtected(e, "never-expires", "NeverExpires");
        assertProtected(e, "in-progress", "CREATE_IN_PROGRESS");
        assertProtected(e, "pending", "PENDING_DELETION");
        assertProtected(e, "deleted", "DELETED");
        assertProtected(e, "unknown", "state UNKNOWN");
        assertProtected(e, "no-timestamp", "no CreateTimestamp");
        assertEquals(List.of("d-2026-11-29"), ids(e.kept()));
        assertEquals(9, e.toDelete().size());
        assertTrue(e.toDelete().stream().allMatch(d -> d.backupId().startsWith("d-2026-11-2")));
    }

    @Test
    void neverTouchesBackupsOfClustersInTheDestinationRegion() {
        // a cluster restored from one of our copies: its own backups may carry our tags
        Backup restored = Backup.builder("restored-cluster-backup", Copies.DEST).state(BackupState.READY)
                .clusterId(Copies.DEST_CLUSTER).createTimestamp(OLD)
                .tags(Copies.ownTags("src-x", Copies.CLUSTER)).build();
        Backup sourceClusterHere = copy("odd", Copies.DEST_CLUSTER, OLD).build();
        RetentionEvaluation e = evaluate(KEEP_LAST_1, withNewerCopies(restored, sourceClusterHere), NOW);
        assertProtected(e, "restored-cluster-backup", "backup of cluster " + Copies.DEST_CLUSTER + ", which lives in");
        assertProtected(e, "odd", Copies.DEST_CLUSTER);
        assertEquals(9, e.toDelete().size());
    }

    @Test
    void listsCopiesFromOtherSourceRegionsAsProtectedAndLeavesOtherBackupsOut() {
        Backup ownFromElsewhere = copy("own-from-us-west-2", OLD).sourceRegion("us-west-2").build();
        Backup native_ = Backup.builder("native", Copies.DEST).clusterId(Copies.DEST_CLUSTER).createTimestamp(OLD)
                .build();
        Backup foreignFromElsewhere = copy("foreign", OLD).sourceRegion("us-west-2").tags(Map.of()).build();
        RetentionEvaluation e = evaluate(KEEP_LAST_1, withNewerCopies(ownFromElsewhere, native_, foreignFromElsewhere),
                NOW);
        assertProtected(e, "own-from-us-west-2", "copied from us-west-2, not from us-east-1");
        assertTrue(e.decisions().stream().noneMatch(d -> d.backupId().equals("native")));
        assertTrue(e.decisions().stream().noneMatch(d -> d.backupId().equals("foreign")));
        assertEquals(11, e.decisions().size());
    }

    @Test
    void fallsBackToTagsWhenCopyFieldsAreMissing() {
        Backup viaTags = copy("via-tags", Instant.parse("2026-11-30T03:00:00Z")).sourceRegion(null).sourceCluster(null)
                .sourceBackup(null).build();
        RetentionEvaluation e = evaluate(KEEP_LAST_1, withNewerCopies(viaTags), NOW);
        var d = decision(e, "via-tags");
        assertEquals(RetentionVerdict.KEEP, d.verdict());
        assertEquals(Copies.CLUSTER, d.sourceCluster());
        assertEquals("src-via-tags", d.sourceBackupId());
        assertEquals(10, e.toDelete().size());
    }

    @Test
    void leavesAloneABackupListedTwiceWithDifferentAttributes() {
        Backup a = copy("twice", OLD).build();
        RetentionEvaluation e = evaluate(KEEP_LAST_1,
                withNewerCopies(a, a.toBuilder().state(BackupState.PENDING_DELETION).build()), NOW);
        assertProtected(e, "twice", "listed 2 times");
        // listed twice identically: one copy like any other
        RetentionEvaluation same = evaluate(KEEP_LAST_1, withNewerCopies(a, a), NOW);
        assertEquals(RetentionVerdict.DELETE, decision(same, "twice").verdict());
        assertEquals(1, same.decisions().stream().filter(d -> d.backupId().equals("twice")).count());
    }

    @Test
    void deletesReadyDuplicatesKeepingTheFirstCopyMade() {
        Instant created = Instant.parse("2026-11-29T03:00:00Z");
        Backup first = copy("dup-first", created).sourceBackup("src-x").copyTimestamp(created.plusSeconds(60)).build();
        Backup second = copy("dup-second", created).sourceBackup("src-x").copyTimestamp(created.plusSeconds(600)).build();
        RetentionEvaluation e = evaluate(RetentionPolicy.builder().keepLast(2).build(),
                List.of(second, first, copy("older", created.minusSeconds(86400)).build(),
                        copy("oldest", created.minusSeconds(2 * 86400)).build()), NOW);
        assertEquals(RetentionVerdict.DELETE_DUPLICATE, decision(e, "dup-second").verdict());
        assertEquals(List.of("duplicate of dup-first"), decision(e, "dup-second").reasons());
        // the duplicate takes no keepLast slot: the two distinct newest copies are kept
        assertEquals(List.of("dup-first", "older"), ids(e.kept()));
        assertEquals(List.of("dup-second", "oldest"), ids(e.toDelete()));
    }

    @Test
    void prefersReadyCopiesAndLowestIdAmongDuplicates() {
        Instant created = Instant.parse("2026-11-29T03:00:00Z");
        Backup inProgress = copy("a-in-progress", created).sourceBackup("src-x").state(BackupState.CREATE_IN_PROGRESS)
                .copyTimestamp(created.plusSeconds(1)).build();
        Backup ready = copy("b-ready", created).sourceBackup("src-x").copyTimestamp(created.plusSeconds(5)).build();
        Backup pending = copy("c-pending", created).sourceBackup("src-x").state(BackupState.PENDING_DELETION)
                .copyTimestamp(created.plusSeconds(2)).build();
        Backup sameTime = copy("d-ready", created).sourceBackup("src-x").copyTimestamp(created.plusSeconds(5)).build();
        RetentionEvaluation e = evaluate(KEEP_LAST_1, List.of(sameTime, pending, inProgress, ready), NOW);
        assertEquals(List.of("b-ready"), ids(e.kept()));
        assertProtected(e, "a-in-progress", "CREATE_IN_PROGRESS");
        assertProtected(e, "a-in-progress", "duplicate of b-ready");
        assertProtected(e, "c-pending", "duplicate of b-ready");
        assertEquals(RetentionVerdict.DELETE_DUPLICATE, decision(e, "d-ready").verdict());
        assertEquals(List.of("d-ready"), ids(e.toDelete()));
    }

    @Test
    void aNeverExpiresCopyIsTheOneKeptAmongDuplicates() {
        Instant created = Instant.parse("2026-11-29T03:00:00Z");
        Backup ready = copy("a-ready", created).sourceBackup("src-x").copyTimestamp(created.plusSeconds(5)).build();
        Backup neverExpires = copy("b-never", created).sourceBackup("src-x").neverExpires(true)
                .copyTimestamp(created.plusSeconds(9)).build();
        Backup older = copy("older", created.minusSeconds(86400)).build();
        RetentionEvaluation e = evaluate(KEEP_LAST_1, List.of(ready, neverExpires, older), NOW);
        assertProtected(e, "b-never", "NeverExpires");
        assertEquals(List.of("duplicate of b-never"), decision(e, "a-ready").reasons());
        assertEquals(RetentionVerdict.DELETE_DUPLICATE, decision(e, "a-ready").verdict());
        assertEquals(List.of("older"), ids(e.kept()));
        // the next run, without the duplicate, decides the same
        assertEquals(List.of(), evaluate(KEEP_LAST_1, List.of(neverExpires, older), NOW).toDelete());
    }

    @Test
    void anInProgressDuplicateIsCleanedOnceReady() {
        Instant created = Instant.parse("2026-11-29T03:00:00Z");
        Backup ready = copy("a", created).sourceBackup("src-x").copyTimestamp(created.plusSeconds(5)).build();
        Backup second = copy("b", created).sourceBackup("src-x").copyTimestamp(created.plusSeconds(50))
                .state(BackupState.CREATE_IN_PROGRESS).build();
        assertEquals(List.of(), evaluate(KEEP_LAST_1, List.of(ready, second), NOW).toDelete());
        RetentionEvaluation later = evaluate(KEEP_LAST_1,
                List.of(ready, second.toBuilder().state(BackupState.READY).build()), NOW);
        assertEquals(List.of("b"), ids(later.toDelete()));
        assertEquals(RetentionVerdict.DELETE_DUPLICATE, decision(later, "b").verdict());
    }

    @Test
    void theFloorCountsNeverExpiresCopiesButNotCopiesInProgress() {
        RetentionPolicy p = RetentionPolicy.builder().keepLast(1).minReadyCopies(3).build();
        List<Backup> copies = new ArrayList<>(daily("2026-11-20", "2026-11-27", "03:00:00"));
        copies.add(copy("never", Instant.parse("2026-11-01T03:00:00Z")).neverExpires(true).build());
        copies.add(copy("in-progress", Instant.parse("2026-11-28T03:00:00Z")).state(BackupState.CREATE_IN_PROGRESS)
                .build());
        RetentionEvaluation e = evaluate(p, copies, NOW);
        // READY left: d-27 (keep-last) + never (NeverExpires) + d-26 (floor) = 3
        assertEquals(List.of("d-2026-11-26", "d-2026-11-27"), ids(e.kept()));
        assertEquals(List.of("floor of 3 READY copies"), decision(e, "d-2026-11-26").reasons());
        assertEquals(6, e.toDelete().size());
    }
}
