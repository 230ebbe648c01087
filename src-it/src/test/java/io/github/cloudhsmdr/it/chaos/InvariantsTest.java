package io.github.cloudhsmdr.it.chaos;

import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chaos invariants catch what they are meant to catch, and nothing on a healthy destination. */
class InvariantsTest {
    static final String SOURCE = "us-east-1";
    static final String WEST = "us-west-2";
    static final String NAME = "dr";
    /** A Wednesday. */
    static final Instant NOW = Instant.parse("2027-03-17T12:00:00Z");

    MutableClock clock;
    CloudHsmModel model;
    Invariants invariants;
    String cluster;
    List<Backup> sources;
    int ids;

    @BeforeEach
    void setUp() {
        clock = MutableClock.at(NOW);
        model = new CloudHsmModel(clock, 7L);
        RetentionPolicy policy = RetentionPolicy.builder().keepDaily(7).keepWeekly(4).minReadyCopies(2).build();
        invariants = new Invariants(model, NAME, SOURCE, List.of(WEST), policy, Duration.ofDays(14));
        cluster = model.addCluster(SOURCE).clusterId();
        sources = new ArrayList<>();
        for (int d = 13; d >= 0; d--) {
            sources.add(model.addBackup(SOURCE, cluster, NOW.minus(Duration.ofDays(d)).minus(Duration.ofHours(2))));
        }
    }

    Backup copy(Backup source, Map<String, String> tags) {
        String id = "backup-copyof" + (char) ('a' + ids / 26) + (char) ('a' + ids % 26) + "aaa";
        ids++;
        return model.addBackup(Backup.builder(id, WEST).clusterId(source.clusterId())
                .createTimestamp(source.createTimestamp()).copyTimestamp(source.createTimestamp().plusSeconds(600))
                .sourceRegion(SOURCE).sourceBackup(source.backupId()).sourceCluster(source.clusterId())
                .state(BackupState.READY).tags(tags).build());
    }

    Backup ours(Backup source) {
        return copy(source, Map.of(CopyTags.OWNER, NAME));
    }

    /** Copies of ours of every source backup: a healthy destination. */
    List<Backup> copyAll() {
        List<Backup> copies = new ArrayList<>();
        sources.forEach(s -> copies.add(ours(s)));
        return copies;
    }

    static ReplicationReport report(DestinationOutcome... outcomes) {
        return new ReplicationReport(NAME, SOURCE, NOW, NOW, RunStatus.SUCCESS, List.of(outcomes), List.of());
    }

    DestinationOutcome outcome(List<CopyOutcome> copies, List<RetentionDecision> decisions, List<Deletion> deletions) {
        return new DestinationOutcome(cluster, WEST, RunStatus.SUCCESS, copies, null, decisions, deletions, "");
    }

    static RetentionDecision decision(Backup copy, RetentionVerdict verdict) {
        return new RetentionDecision(copy.backupId(), WEST, copy.sourceCluster(), copy.sourceBackup(),
                copy.createTimestamp(), copy.state(), verdict, List.of("test"));
    }

    static Deletion deletion(Backup copy, RetentionVerdict verdict) {
        return new Deletion(copy.backupId(), WEST, copy.sourceBackup(), copy.createTimestamp(), verdict, List.of("test"),
                NOW.plus(Duration.ofDays(7)), null);
    }

    @Test
    void acceptsAHealthyDestination() {
        List<Backup> copies = copyAll();
        assertEquals(List.of(), invariants.observe());
        model.deleteBackup(WEST, copies.get(0).backupId());
        invariants.copyDeleted(deletion(copies.get(0), RetentionVerdict.DELETE));
        assertEquals(List.of(), invariants.checkRun(report(outcome(List.of(),
                List.of(decision(copies.get(1), RetentionVerdict.KEEP)),
                List.of(deletion(copies.get(0), RetentionVerdict.DELETE))))));
        assertEquals(List.of(), invariants.checkSteadyState());
        assertEquals(List.of(), invariants.checkEligibleReached(NOW));
    }

    @Test
    void flagsAForeignOrNeverExpiresBackupThatWasChanged() {
        Backup foreign = copy(sources.get(3), Map.of(CopyTags.OWNER, "someone-else"));
        Backup pinned = ours(sources.get(4));
        model.modifyBackupAttributes(WEST, pinned.backupId(), true);
        assertEquals(List.of(), invariants.observe());

        model.deleteBackup(WEST, foreign.backupId());
        model.tagResource(WEST, pinned.backupId(), Map.of("note", "changed"));
        List<String> violations = invariants.observe();

        assertEquals(2, violations.size(), violations.toString());
        assertTrue(violations.stream().allMatch(v -> v.startsWith("invariant 2")), violations.toString());
    }

    @Test
    void aCopyWithoutTagsThatTheServiceCompletesIsNoViolationButAChangeAfterwardsIs() {
        model.copyDelay(Duration.ofMinutes(10));
        model.copyBackupToRegion(SOURCE, sources.get(5).backupId(), WEST, Map.of("team", "ops"));
        assertEquals(List.of(), invariants.observe());

        clock.advance(Duration.ofMinutes(11));
        assertEquals(List.of(), invariants.observe(), "CREATE_IN_PROGRESS -> READY is the service's doing");

        Backup copy = model.backupsIn(WEST).get(0);
        model.tagResource(WEST, copy.backupId(), Map.of("note", "changed"));
        List<String> violations = invariants.observe();
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).startsWith("invariant 2"), violations.toString());
    }

    @Test
    void flagsTheDeletionOfTheNewestReadyCopy() {
        List<Backup> copies = copyAll();
        invariants.observe();
        Backup newest = copies.get(copies.size() - 1);
        model.deleteBackup(WEST, newest.backupId());
        invariants.copyDeleted(deletion(newest, RetentionVerdict.DELETE));

        List<String> violations = invariants.checkRun(report());

        assertTrue(violations.stream().anyMatch(v -> v.startsWith("invariant 3") && v.contains("newest READY")),
                violations.toString());
    }

    @Test
    void flagsADeletionBelowTheFloorAndAGroupLeftWithoutReadyCopy() {
        Backup older = ours(sources.get(0));
        Backup newer = ours(sources.get(1));
        invariants.observe();
        model.deleteBackup(WEST, older.backupId());
        invariants.copyDeleted(deletion(older, RetentionVerdict.DELETE));
        model.deleteBackup(WEST, newer.backupId());

        List<String> violations = invariants.checkRun(report());

        assertTrue(violations.stream().anyMatch(v -> v.contains("fewer than minReadyCopies 2")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("had a READY copy") && v.contains("has none now")),
                violations.toString());
    }

    @Test
    void flagsTwoCopiesOfOneSourceLeftAfterCleanUp() {
        Backup first = ours(sources.get(9));
        Backup second = ours(sources.get(9));
        invariants.observe();
        DestinationOutcome cleaned = outcome(List.of(), List.of(decision(first, RetentionVerdict.KEEP),
                decision(second, RetentionVerdict.KEEP)), List.of());

        List<String> violations = invariants.checkRun(report(cleaned));

        assertTrue(violations.stream().anyMatch(v -> v.startsWith("invariant 1") && v.contains("2 READY copies")),
                violations.toString());
        assertEquals(1, invariants.checkSteadyState().size());
        model.deleteBackup(WEST, second.backupId());
        assertEquals(List.of(), invariants.checkSteadyState(), "a PENDING_DELETION extra is not a live copy");
    }

    @Test
    void flagsDeletionsInARunWhoseCopyFailed() {
        List<Backup> copies = copyAll();
        invariants.observe();
        model.deleteBackup(WEST, copies.get(0).backupId());
        CopyOutcome failed = new CopyOutcome(sources.get(9).backupId(), sources.get(9).createTimestamp(),
                CopyAction.FAILED, null, null, "", new Failure(ServiceErrorKind.THROTTLING, "CopyBackupToRegion",
                "throttled", 5));

        List<String> violations = invariants.checkRun(report(outcome(List.of(failed), List.of(),
                List.of(deletion(copies.get(0), RetentionVerdict.DELETE)))));

        assertTrue(violations.stream().anyMatch(v -> v.startsWith("invariant 5")), violations.toString());
    }

    @Test
    void eligibleBackupsAreTheNewestOfTheLastSevenDaysAndOfTheWeeksInTheWindow() {
        Map<String, String> eligible = invariants.eligible(NOW);
        // daily backups from Thursday 2027-03-04 to Wednesday 2027-03-17: the newest 7 days (03-11 to 03-17) and the
        // newest of each ISO week: 03-17 and 03-14 are dailies already, Sunday 03-07 is in the 14-day window too
        assertTrue(eligible.keySet().containsAll(sources.subList(7, 14).stream().map(Backup::backupId).toList()),
                eligible.toString());
        assertTrue(eligible.containsKey(sources.get(3).backupId()), "Sunday 2027-03-07, the newest of its week");
        assertEquals(8, eligible.size(), eligible.toString());

        copyAll().stream().filter(c -> c.sourceBackup().equals(sources.get(10).backupId()))
                .forEach(c -> model.deleteBackup(WEST, c.backupId()));
        List<String> missing = invariants.checkEligibleReached(NOW);
        assertEquals(1, missing.size(), missing.toString());
        assertTrue(missing.get(0).startsWith("invariant 4: " + sources.get(10).backupId()), missing.toString());
    }
}
