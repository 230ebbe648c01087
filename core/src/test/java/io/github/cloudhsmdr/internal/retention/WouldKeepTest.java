package io.github.cloudhsmdr.internal.retention;

import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.github.cloudhsmdr.internal.retention.Copies.CLUSTER;
import static io.github.cloudhsmdr.internal.retention.Copies.copy;
import static io.github.cloudhsmdr.internal.retention.Copies.daily;
import static io.github.cloudhsmdr.internal.retention.Copies.evaluate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's "no churn" question: would a new copy be kept? */
class WouldKeepTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final RetentionPolicy DAILY_3 = RetentionPolicy.builder().keepDaily(3).build();

    private static Instant at(String day) {
        return Instant.parse(day + "T03:00:00Z");
    }

    @Test
    void aNewerCopyIsKeptAnOlderOneBeyondTheSlotsIsNot() {
        RetentionEvaluation e = evaluate(DAILY_3, daily("2026-11-25", "2026-11-27", "03:00:00"), NOW);
        assertTrue(e.wouldKeep(CLUSTER, "src-new", at("2026-11-28")));
        assertFalse(e.wouldKeep(CLUSTER, "src-old", at("2026-11-24")));
        // a later backup of a day that already has a copy takes the day's slot
        assertTrue(e.wouldKeep(CLUSTER, "src-later", Instant.parse("2026-11-27T20:00:00Z")));
        assertFalse(e.wouldKeep(CLUSTER, "src-earlier", Instant.parse("2026-11-27T01:00:00Z")));
    }

    @Test
    void theFirstCopyOfAClusterIsAlwaysKept() {
        RetentionEvaluation e = evaluate(DAILY_3, List.of(), NOW);
        assertTrue(e.wouldKeep("cluster-nothinghere", "src-1", at("2020-01-01")));
    }

    @Test
    void aSourceBackupThatAlreadyHasALiveCopyIsNotCopiedAgain() {
        List<Backup> copies = new ArrayList<>(daily("2026-11-25", "2026-11-27", "03:00:00"));
        copies.add(copy("pending", at("2026-11-28")).state(BackupState.PENDING_DELETION).build());
        RetentionEvaluation e = evaluate(DAILY_3, copies, NOW);
        assertFalse(e.wouldKeep(CLUSTER, "src-d-2026-11-27", at("2026-11-27")));
        assertFalse(e.wouldKeep(CLUSTER, "src-pending", at("2026-11-28")));
    }

    @Test
    void aCopyThisRunDeletesIsNotCopiedAgain() {
        RetentionEvaluation e = evaluate(DAILY_3, daily("2026-11-20", "2026-11-27", "03:00:00"), NOW);
        assertTrue(e.toDelete().stream().anyMatch(d -> d.backupId().equals("d-2026-11-21")));
        assertFalse(e.wouldKeep(CLUSTER, "src-d-2026-11-21", at("2026-11-21")));
    }

    @Test
    void copiesMadeInOneRunCompeteForTheSameSlots() {
        RetentionPolicy last2 = RetentionPolicy.builder().keepLast(2).build();
        RetentionEvaluation e = evaluate(last2, List.of(copy("c10", at("2026-11-10")).build()), NOW);
        Map<String, Instant> candidates = new LinkedHashMap<>();
        candidates.put("s11", at("2026-11-11"));
        candidates.put("s12", at("2026-11-12"));
        candidates.put("s13", at("2026-11-13"));
        // each alone would be kept, together only the two newest are
        assertTrue(e.wouldKeep(CLUSTER, "s11", at("2026-11-11")));
        assertEquals(Set.of("s12", "s13"), e.wouldKeep(CLUSTER, candidates));
    }

    @Test
    void copiesInProgressCountAsReady() {
        RetentionPolicy last1 = RetentionPolicy.builder().keepLast(1).build();
        List<Backup> copies = List.of(copy("c10", at("2026-11-10")).build(),
                copy("c12", at("2026-11-12")).state(BackupState.CREATE_IN_PROGRESS).build());
        // c12 will be READY soon and take the only slot: a copy of the 11th would be deleted right after
        assertFalse(evaluate(last1, copies, NOW).wouldKeep(CLUSTER, "s11", at("2026-11-11")));
        assertTrue(evaluate(last1, copies, NOW).wouldKeep(CLUSTER, "s13", at("2026-11-13")));
    }

    @Test
    void theFloorCanKeepANewCopy() {
        RetentionPolicy p = RetentionPolicy.builder().keepLast(1).minReadyCopies(3).build();
        RetentionEvaluation e = evaluate(p, List.of(copy("c10", at("2026-11-10")).build()), NOW);
        assertTrue(e.wouldKeep(CLUSTER, "s09", at("2026-11-09")));
        assertEquals(Set.of("s08", "s09"), e.wouldKeep(CLUSTER, Map.of("s09", at("2026-11-09"),
                "s08", at("2026-11-08"), "s07", at("2026-11-07"))));
    }

    @Test
    void aCopyTheAnswerSaysKeepIsKeptByTheNextRun() {
        RetentionPolicy p = RetentionPolicy.builder().keepDaily(7).keepWeekly(4).build();
        List<Backup> copies = new ArrayList<>(daily("2026-11-01", "2026-11-20", "03:00:00"));
        RetentionEvaluation e = evaluate(p, copies, NOW);
        Map<String, Instant> candidates = Map.of("src-21", at("2026-11-21"), "src-22", at("2026-11-22"),
                "src-05", at("2026-11-05"));
        Set<String> kept = e.wouldKeep(CLUSTER, candidates);
        assertEquals(Set.of("src-21", "src-22"), kept);
        List<Backup> next = new ArrayList<>(copies.stream()
                .filter(b -> e.toDelete().stream().noneMatch(d -> d.backupId().equals(b.backupId()))).toList());
        kept.forEach(s -> next.add(copy("copy-of-" + s, candidates.get(s)).sourceBackup(s).build()));
        RetentionEvaluation after = evaluate(p, next, NOW);
        assertTrue(after.toDelete().stream().noneMatch(d -> d.backupId().startsWith("copy-of-")), after::toString);
    }
}
