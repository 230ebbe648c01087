package io.github.cloudhsmdr.internal.retention;

import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.spi.Backup;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.cloudhsmdr.internal.retention.Copies.CLUSTER;
import static io.github.cloudhsmdr.internal.retention.Copies.OTHER_CLUSTER;
import static io.github.cloudhsmdr.internal.retention.Copies.copy;
import static io.github.cloudhsmdr.internal.retention.Copies.decision;
import static io.github.cloudhsmdr.internal.retention.Copies.evaluate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A copy whose CreateTimestamp lies in the future beyond the clock-skew allowance, or whose provenance tags
 * contradict the service's own fields, is listed PROTECTED with the reason and takes no part in retention: it is
 * never the newest copy and never makes other copies go.
 */
class TimeAndProvenanceTest {
    static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
    static final RetentionPolicy KEEP_LAST_1 = RetentionPolicy.builder().keepLast(1).build();

    static List<Backup> threeRealCopies() {
        return List.of(copy("backup-real1", NOW.minus(Duration.ofDays(3))).build(),
                copy("backup-real2", NOW.minus(Duration.ofDays(2))).build(),
                copy("backup-real3", NOW.minus(Duration.ofDays(1))).build());
    }

    static Map<String, RetentionVerdict> verdicts(RetentionEvaluation e) {
        Map<String, RetentionVerdict> out = new HashMap<>();
        for (RetentionDecision d : e.decisions()) {
            out.put(d.backupId(), d.verdict());
        }
        return out;
    }

    @Test
    void aCopyDatedTenYearsAheadIsProtectedAndChangesNothingForTheRealCopies() {
        List<Backup> inventory = new ArrayList<>(threeRealCopies());
        inventory.add(copy("backup-future", NOW.plus(Duration.ofDays(3650))).build());

        RetentionEvaluation e = evaluate(KEEP_LAST_1, inventory, NOW);

        RetentionDecision future = decision(e, "backup-future");
        assertEquals(RetentionVerdict.PROTECTED, future.verdict(), future.toString());
        assertTrue(future.reasons().stream().anyMatch(r -> r.contains("in the future")), future.reasons().toString());
        assertEquals(RetentionVerdict.KEEP, decision(e, "backup-real3").verdict(), e.decisions().toString());
        Map<String, RetentionVerdict> real = verdicts(evaluate(KEEP_LAST_1, threeRealCopies(), NOW));
        for (Backup b : threeRealCopies()) {
            assertEquals(real.get(b.backupId()), decision(e, b.backupId()).verdict(),
                    "the future copy changes nothing for " + b.backupId() + ": " + e.decisions());
        }
        assertEquals(2, e.toDelete().size(), e.decisions().toString());
    }

    @Test
    void aCopyAheadByLessThanTheClockSkewAllowanceTakesPartAsUsual() {
        List<Backup> inventory = new ArrayList<>(threeRealCopies());
        inventory.add(copy("backup-skewed", NOW.plus(Duration.ofMinutes(10))).build());

        RetentionEvaluation e = evaluate(KEEP_LAST_1, inventory, NOW);

        assertEquals(RetentionVerdict.KEEP, decision(e, "backup-skewed").verdict(), e.decisions().toString());
        assertEquals(3, e.toDelete().size(), e.decisions().toString());
    }

    @Test
    void aFutureCopyDoesNotTakeTheSlotOfTheNextRealCopy() {
        List<Backup> group = List.of(copy("backup-real1", NOW.minus(Duration.ofDays(2))).build(),
                copy("backup-future", NOW.plus(Duration.ofDays(3650))).build());

        boolean kept = evaluate(KEEP_LAST_1, group, NOW).wouldKeep(CLUSTER, "src-backup-next",
                NOW.minus(Duration.ofHours(1)));

        assertTrue(kept, "the newest real backup would be kept, so it is copied");
    }

    @Test
    void aCopyWhoseProvenanceTagsContradictTheServiceIsProtectedAndInNoGroup() {
        List<Backup> inventory = new ArrayList<>(threeRealCopies());
        Map<String, String> tags = new HashMap<>(Copies.ownTags("src-backup-odd", OTHER_CLUSTER));
        inventory.add(copy("backup-odd", CLUSTER, NOW.minus(Duration.ofHours(1))).tags(tags).build());

        RetentionEvaluation e = evaluate(KEEP_LAST_1, inventory, NOW);

        RetentionDecision odd = decision(e, "backup-odd");
        assertEquals(RetentionVerdict.PROTECTED, odd.verdict(), odd.toString());
        assertTrue(odd.reasons().stream().anyMatch(r -> r.contains(CopyTags.SOURCE_CLUSTER)
                && r.contains(OTHER_CLUSTER) && r.contains(CLUSTER)), odd.reasons().toString());
        assertEquals(RetentionVerdict.KEEP, decision(e, "backup-real3").verdict(), e.decisions().toString());
        assertEquals(2, e.toDelete().size(), e.decisions().toString());
    }

    @Test
    void aSourceRegionTagThatContradictsTheServiceIsProtectedToo() {
        Map<String, String> otherRegion = new HashMap<>(Copies.ownTags("src-backup-r", CLUSTER));
        otherRegion.put(CopyTags.SOURCE_REGION, "ap-south-1");
        List<Backup> inventory = new ArrayList<>(threeRealCopies());
        inventory.add(copy("backup-r", NOW.minus(Duration.ofHours(2))).tags(otherRegion).build());

        RetentionEvaluation e = evaluate(KEEP_LAST_1, inventory, NOW);

        RetentionDecision r = decision(e, "backup-r");
        assertEquals(RetentionVerdict.PROTECTED, r.verdict(), e.decisions().toString());
        assertTrue(r.reasons().toString().contains("SourceRegion us-east-1"), r.reasons().toString());
        assertEquals(RetentionVerdict.KEEP, decision(e, "backup-real3").verdict(), e.decisions().toString());
    }
}
