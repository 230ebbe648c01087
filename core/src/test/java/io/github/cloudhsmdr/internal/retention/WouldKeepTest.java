package io.github.cloudhsmdr.internal.retention;

import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
    void theFloorIsFilledWithCopiesAlreadyThereBeforeANewCopyIsMade() {
        // keep-last keeps c10 alone; the floor of 3 needs two more copies: c05 is there, so only one backup is
        // worth copying, the newest; a copy of s08 would only take c05's place (copy one, delete another)
        RetentionPolicy p = RetentionPolicy.builder().keepLast(1).minReadyCopies(3).build();
        RetentionEvaluation e = evaluate(p, List.of(copy("c10", at("2026-11-10")).build(),
                copy("c05", at("2026-11-05")).build()), NOW);
        assertEquals(Set.of("s09"), e.wouldKeep(CLUSTER, Map.of("s09", at("2026-11-09"), "s08", at("2026-11-08"))));
        assertTrue(e.wouldKeep(CLUSTER, "s08", at("2026-11-08")));
        // once the floor is made up by copies already there, no backup is copied for it
        RetentionEvaluation full = evaluate(p, List.of(copy("c10", at("2026-11-10")).build(),
                copy("c05", at("2026-11-05")).build(), copy("c04", at("2026-11-04")).build()), NOW);
        assertEquals(Set.of(), full.wouldKeep(CLUSTER, Map.of("s09", at("2026-11-09"), "s08", at("2026-11-08"))));
        assertTrue(full.toDelete().isEmpty(), full::toString);
    }

    @Test
    void aBackupDeclinedForTheFloorIsNotCopiedWhenANewerCopyFreesFloorSlots() {
        // Sunday 2026-04-19 ends ISO week 16. Three backups that day: the floor of 4 needs one of them besides
        // the day's newest (a): b is copied, c is not (its copy would be deleted)
        RetentionPolicy p = RetentionPolicy.builder().keepDaily(2).keepWeekly(2).minReadyCopies(4).build();
        Backup prevWeek = copy("prev-week", Instant.parse("2026-04-12T13:00:00Z")).build();
        Backup saturday = copy("saturday", Instant.parse("2026-04-18T15:00:00Z")).build();
        Instant a = Instant.parse("2026-04-19T18:00:00Z");
        Instant b = Instant.parse("2026-04-19T17:00:00Z");
        Instant c = Instant.parse("2026-04-19T07:00:00Z");
        RetentionEvaluation sunday = evaluate(p, List.of(prevWeek, saturday), Instant.parse("2026-04-20T06:00:00Z"));
        assertEquals(Set.of("src-a", "src-b"), sunday.wouldKeep(CLUSTER, Map.of("src-a", a, "src-b", b, "src-c", c)));

        // Monday's backup takes both the daily and the weekly slot of a, so saturday and prev-week are kept by no
        // rule any more and the floor needs two copies besides m and a: b and saturday are there. A copy of c
        // (newer than saturday) would only take saturday's place: it is still not worth copying
        List<Backup> copies = List.of(prevWeek, saturday, copy("a", a).build(), copy("b", b).build());
        RetentionEvaluation monday = evaluate(p, copies, Instant.parse("2026-04-21T06:00:00Z"));
        assertTrue(monday.toDelete().isEmpty(), monday::toString);
        Instant m = Instant.parse("2026-04-20T20:00:00Z");
        assertEquals(Set.of("src-m"), monday.wouldKeep(CLUSTER, Map.of("src-m", m, "src-c", c)));

        // and the next run keeps Monday's copy, a, b and saturday: the floor is made up without c
        List<Backup> next = new ArrayList<>(copies);
        next.add(copy("m", m).build());
        RetentionEvaluation tuesday = evaluate(p, next, Instant.parse("2026-04-22T06:00:00Z"));
        assertEquals(List.of("prev-week"), Copies.ids(tuesday.toDelete()));
    }

    /**
     * Random inventories (those of {@link RetentionInvariantsTest}), random policies, random new backups: the copies
     * the answer accepts are kept by the next run (no churn), and when the next run keeps one of them only for the
     * floor, the floor could not be made up without it: the next run deletes no copy that was there.
     */
    @Test
    void acceptedCopiesAreKeptAndTakeNoFloorSlotOfACopyThere() {
        long seed = Seeds.seed("acceptedCopiesAreKeptAndTakeNoFloorSlotOfACopyThere");
        Random master = new Random(seed);
        int iterations = Seeds.iterations(2000);
        int accepted = 0;
        int forTheFloor = 0;
        for (int i = 0; i < iterations; i++) {
            Random r = new Random(master.nextLong());
            RetentionPolicy policy = Seeds.policy(r, true);
            List<Backup> inventory = RetentionInvariantsTest.inventory(r);
            Instant latest = RetentionInvariantsTest.latest(inventory, NOW);
            Instant now = latest.plus(Duration.ofMinutes(r.nextInt(3 * 24 * 60)));
            Map<String, Instant> candidates = new LinkedHashMap<>();
            for (int k = r.nextInt(6); k > 0; k--) {
                candidates.put("new-" + k, now.minus(Duration.ofMinutes(1 + r.nextInt(20 * 24 * 60))));
            }
            String context = "seed=" + seed + " iteration=" + i + " policy=" + policy + " now=" + now
                    + " candidates=" + candidates;

            RetentionEvaluation e = evaluate(policy, inventory, now);
            Set<String> kept = e.wouldKeep(CLUSTER, candidates);
            accepted += kept.size();
            // the next run: this run's deletions pending, copies in progress READY, the accepted copies READY
            Set<String> deleted = new HashSet<>(Copies.ids(e.toDelete()));
            List<Backup> next = new ArrayList<>();
            for (Backup b : inventory) {
                next.add(deleted.contains(b.backupId())
                        ? b.withState(BackupState.PENDING_DELETION, now.plus(Duration.ofDays(7)))
                        : b.state() == BackupState.CREATE_IN_PROGRESS ? b.withState(BackupState.READY, null) : b);
            }
            kept.forEach(s -> next.add(copy("copy-of-" + s, candidates.get(s)).sourceBackup(s).copyTimestamp(now)
                    .tags(Copies.ownTags(s, CLUSTER)).build()));
            RetentionEvaluation after = evaluate(policy, next, now);

            boolean floorOnly = false;
            for (String s : kept) {
                RetentionDecision d = Copies.decision(after, "copy-of-" + s);
                assertEquals(RetentionVerdict.KEEP, d.verdict(), () -> context + ": copy of " + s + " " + d);
                floorOnly |= d.reasons().stream().allMatch(reason -> reason.startsWith("floor of "));
            }
            if (floorOnly) {
                forTheFloor++;
                List<RetentionDecision> displaced = after.toDelete().stream()
                        .filter(d -> CLUSTER.equals(d.sourceCluster()) && d.verdict() == RetentionVerdict.DELETE)
                        .toList();
                assertEquals(List.of(), displaced, () -> context + ": a copy made for the floor displaced copies");
            }
        }
        // the generator must make the answer accept copies, some of them for the floor, or the test proves nothing
        assertTrue(accepted > iterations / 2, "accepted=" + accepted);
        assertTrue(forTheFloor > 0, "forTheFloor=" + forTheFloor);
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
