package io.github.cloudhsmdr.internal.retention;

import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetentionPolicy.KeepWithinAnchor;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.internal.CopySanity;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Randomised inventories (mixed owners, regions, states, NeverExpires, duplicates, destination-local backups) and
 * random policies: the safety invariants hold, a second run deletes nothing more, and the result matches a
 * straightforward restatement of the rules.
 */
class RetentionInvariantsTest {
    private static final List<String> CLUSTERS = List.of("cluster-aaaaaaaaaaa", "cluster-bbbbbbbbbbb",
            "cluster-ccccccccccc");
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void safetyInvariantsAndIdempotenceHoldOnRandomInventories() {
        long seed = Seeds.seed("safetyInvariantsAndIdempotenceHoldOnRandomInventories");
        Random master = new Random(seed);
        int iterations = Seeds.iterations(2000);
        int deletions = 0;
        for (int i = 0; i < iterations; i++) {
            Random r = new Random(master.nextLong());
            RetentionPolicy policy = Seeds.policy(r, true);
            List<Backup> inventory = inventory(r);
            Instant now = latest(inventory, BASE)
                    .plus(Duration.ofMinutes(r.nextInt(40 * 24 * 60) - 2 * 24 * 60));
            try {
                deletions += check(policy, inventory, now);
            } catch (AssertionError e) {
                throw new AssertionError("seed=" + seed + " iteration=" + i + " policy=" + policy + " now=" + now
                        + "\ninventory:\n" + inventory.stream().map(Backup::toString).collect(Collectors.joining("\n")),
                        e);
            }
        }
        // the generator must produce real deletions, or the test proves nothing
        assertTrue(deletions > iterations, "deletions=" + deletions);
    }

    private static int check(RetentionPolicy policy, List<Backup> inventory, Instant now) {
        RetentionEvaluation e = Copies.evaluate(policy, inventory, now);
        Map<String, Backup> byId = new HashMap<>();
        inventory.forEach(b -> byId.put(b.backupId(), b));

        // listed: exactly what is ours or copied from our source region, once each
        Set<String> expectedListed = inventory.stream()
                .filter(b -> Copies.OWNER.equals(b.tags().get(CopyTags.OWNER)) || Copies.SOURCE.equals(sourceRegion(b)))
                .map(Backup::backupId).collect(Collectors.toCollection(TreeSet::new));
        List<String> listed = e.decisions().stream().map(RetentionDecision::backupId).sorted().toList();
        assertEquals(List.copyOf(expectedListed), listed, "listed decisions");

        // what is deleted is ours, from our source region, READY, not NeverExpires, not destination-local
        Set<String> deleted = new HashSet<>();
        for (RetentionDecision d : e.toDelete()) {
            Backup b = byId.get(d.backupId());
            assertEquals(Copies.OWNER, b.tags().get(CopyTags.OWNER), "owner of deleted " + b);
            assertEquals(Copies.SOURCE, sourceRegion(b), "source region of deleted " + b);
            assertEquals(BackupState.READY, b.state(), "state of deleted " + b);
            assertTrue(!b.neverExpires(), "NeverExpires deleted " + b);
            assertTrue(b.createTimestamp() != null, "no CreateTimestamp " + b);
            assertTrue(!Copies.DEST_CLUSTERS.contains(b.clusterId()), "destination-local deleted " + b);
            assertTrue(!Copies.DEST_CLUSTERS.contains(sourceCluster(b)), "destination-local deleted " + b);
            deleted.add(b.backupId());
        }

        // per group: the newest READY copy survives and the floor holds
        Map<String, List<Backup>> groups = groups(inventory, now);
        for (Map.Entry<String, List<Backup>> g : groups.entrySet()) {
            List<Backup> before = g.getValue().stream().filter(b -> b.state() == BackupState.READY).toList();
            List<Backup> after = before.stream().filter(b -> !deleted.contains(b.backupId())).toList();
            assertEquals(newest(before), newest(after), "newest READY copy of " + g.getKey());
            long distinctBefore = before.stream().map(RetentionInvariantsTest::sourceKey).distinct().count();
            long distinctAfter = after.stream().map(RetentionInvariantsTest::sourceKey).distinct().count();
            assertTrue(distinctAfter >= Math.min(policy.minReadyCopies(), distinctBefore),
                    "floor in " + g.getKey() + ": " + distinctAfter + " left of " + distinctBefore);
        }

        // a second run on what is left deletes nothing more, whether deleted copies vanish or linger
        List<Backup> gone = inventory.stream().filter(b -> !deleted.contains(b.backupId())).toList();
        assertEquals(List.of(), Copies.evaluate(policy, gone, now).toDelete(), "second run, deleted copies gone");
        List<Backup> pending = inventory.stream().map(b -> deleted.contains(b.backupId())
                ? b.withState(BackupState.PENDING_DELETION, now.plus(Duration.ofDays(7))) : b).toList();
        assertEquals(List.of(), Copies.evaluate(policy, pending, now).toDelete(), "second run, deleted copies pending");

        // and the deletions are exactly what a plain restatement of the rules gives
        Set<String> expected = new TreeSet<>();
        groups.values().forEach(g -> expected.addAll(Reference.deleted(policy, g, now)));
        assertEquals(expected, new TreeSet<>(deleted), "deleted versus the reference");
        return deleted.size();
    }

    /** The groups retention evaluates: copies in the future or with contradictory provenance are protected. */
    private static Map<String, List<Backup>> groups(List<Backup> inventory, Instant now) {
        Map<String, Set<Backup>> variants = new HashMap<>();
        inventory.forEach(b -> variants.computeIfAbsent(b.backupId(), k -> new HashSet<>()).add(b));
        Map<String, List<Backup>> groups = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Backup b : inventory) {
            boolean inScope = Copies.OWNER.equals(b.tags().get(CopyTags.OWNER)) && Copies.SOURCE.equals(sourceRegion(b))
                    && sourceCluster(b) != null && b.createTimestamp() != null
                    && !Copies.DEST_CLUSTERS.contains(b.clusterId()) && !Copies.DEST_CLUSTERS.contains(sourceCluster(b))
                    && variants.get(b.backupId()).size() == 1 && CopySanity.believable(b, now);
            if (inScope && seen.add(b.backupId())) {
                groups.computeIfAbsent(sourceCluster(b), k -> new ArrayList<>()).add(b);
            }
        }
        return groups;
    }

    private static Instant newest(List<Backup> ready) {
        return ready.stream().map(Backup::createTimestamp).max(Comparator.naturalOrder()).orElse(null);
    }

    static String sourceRegion(Backup b) {
        return b.sourceRegion() != null ? b.sourceRegion() : b.tags().get(CopyTags.SOURCE_REGION);
    }

    static String sourceCluster(Backup b) {
        return b.sourceCluster() != null ? b.sourceCluster() : b.tags().get(CopyTags.SOURCE_CLUSTER);
    }

    static String sourceKey(Backup b) {
        String s = b.sourceBackup() != null ? b.sourceBackup() : b.tags().get(CopyTags.SOURCE_BACKUP);
        return s != null ? s : "own:" + b.backupId();
    }

    /** @return the newest creation time in {@code inventory}, or {@code orElse} when none has one */
    static Instant latest(List<Backup> inventory, Instant orElse) {
        return inventory.stream().map(Backup::createTimestamp).filter(Objects::nonNull).max(Comparator.naturalOrder())
                .orElse(orElse);
    }

    /** A destination inventory with everything retention must cope with. */
    static List<Backup> inventory(Random r) {
        int n = r.nextInt(50);
        int spanDays = 1 + r.nextInt(r.nextBoolean() ? 10 : 400);
        Instant start = BASE.plus(Duration.ofDays(r.nextInt(365)));
        List<String> clusters = CLUSTERS.subList(0, 1 + r.nextInt(CLUSTERS.size()));
        List<Backup> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = String.format("backup-%03d", i);
            if (!out.isEmpty() && r.nextInt(100) < 12) {
                // a duplicate: another copy of the same source backup
                Backup of = out.get(r.nextInt(out.size()));
                Instant copied = r.nextInt(10) == 0 || of.createTimestamp() == null ? null
                        : of.createTimestamp().plus(Duration.ofMinutes(r.nextInt(5000)));
                out.add(Backup.builder(id, of.region()).clusterId(of.clusterId()).createTimestamp(of.createTimestamp())
                        .copyTimestamp(copied).state(state(r)).neverExpires(r.nextInt(12) == 0)
                        .sourceRegion(of.sourceRegion()).sourceBackup(of.sourceBackup())
                        .sourceCluster(of.sourceCluster()).tags(of.tags()).build());
                continue;
            }
            String cluster = clusters.get(r.nextInt(clusters.size()));
            Instant created;
            if (!out.isEmpty() && r.nextInt(4) == 0 && out.get(out.size() - 1).createTimestamp() != null) {
                created = out.get(out.size() - 1).createTimestamp().plus(Duration.ofMinutes(r.nextInt(600) - 300));
            } else {
                created = start.plus(Duration.ofMinutes(r.nextInt(spanDays * 24 * 60)));
            }
            if (r.nextInt(50) == 0) {
                created = null;
            }
            Backup.Builder b = Copies.copy(id, cluster, created).state(state(r)).neverExpires(r.nextInt(12) == 0)
                    .sourceBackup("src-" + i);
            Map<String, String> tags = new HashMap<>(Copies.ownTags("src-" + i, cluster));
            int owner = r.nextInt(10);
            if (owner == 0) {
                tags.remove(CopyTags.OWNER);
            } else if (owner == 1) {
                tags.put(CopyTags.OWNER, "other-replicator");
            }
            if (r.nextInt(12) == 0) {
                b.sourceRegion("us-west-2");
                tags.put(CopyTags.SOURCE_REGION, "us-west-2");
            }
            if (r.nextInt(7) == 0) {
                b.sourceRegion(null).sourceCluster(null).sourceBackup(null);
            }
            if (r.nextInt(25) == 0) {
                // a backup of a cluster living in the destination region, carrying our tags
                b.clusterId(Copies.DEST_CLUSTER).sourceRegion(null).sourceCluster(null).sourceBackup(null)
                        .copyTimestamp(null);
            }
            out.add(b.tags(tags).build());
        }
        Collections.shuffle(out, r);
        return out;
    }

    private static BackupState state(Random r) {
        int roll = r.nextInt(100);
        if (roll < 72) {
            return BackupState.READY;
        }
        if (roll < 82) {
            return BackupState.CREATE_IN_PROGRESS;
        }
        if (roll < 91) {
            return BackupState.PENDING_DELETION;
        }
        return roll < 97 ? BackupState.DELETED : BackupState.UNKNOWN;
    }

    /** The rules restated as plainly as possible, to compare the evaluator with. */
    static final class Reference {
        private Reference() {
        }

        static Set<String> deleted(RetentionPolicy p, List<Backup> group, Instant now) {
            // duplicates
            Set<Backup> extras = new HashSet<>();
            Map<String, List<Backup>> bySource = group.stream()
                    .filter(b -> b.state() == BackupState.READY || b.state() == BackupState.CREATE_IN_PROGRESS
                            || b.state() == BackupState.PENDING_DELETION)
                    .filter(b -> b.sourceBackup() != null || b.tags().get(CopyTags.SOURCE_BACKUP) != null)
                    .collect(Collectors.groupingBy(RetentionInvariantsTest::sourceKey));
            for (List<Backup> same : bySource.values()) {
                Backup primary = same.stream().min(Comparator
                        .comparing((Backup b) -> b.state() != BackupState.READY)
                        .thenComparing(b -> !b.neverExpires())
                        .thenComparing(Backup::copyTimestamp, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(Backup::backupId)).orElseThrow();
                same.stream().filter(b -> b != primary).forEach(extras::add);
            }
            List<Backup> participants = group.stream()
                    .filter(b -> b.state() == BackupState.READY && !b.neverExpires() && !extras.contains(b))
                    .sorted(Comparator.comparing(Backup::createTimestamp).reversed().thenComparing(Backup::backupId))
                    .toList();
            Set<Backup> kept = new HashSet<>();
            if (!p.keepWithin().isZero() && !participants.isEmpty()) {
                Instant anchor = p.keepWithinAnchor() == KeepWithinAnchor.NOW ? now
                        : participants.stream().map(Backup::createTimestamp).filter(t -> t.compareTo(now) <= 0)
                        .max(Comparator.naturalOrder()).orElse(now);
                participants.stream().filter(b -> b.createTimestamp().compareTo(anchor.minus(p.keepWithin())) > 0)
                        .forEach(kept::add);
            }
            int[] counts = {p.keepLast(), p.keepHourly(), p.keepDaily(), p.keepWeekly(), p.keepMonthly(), p.keepYearly()};
            for (int rule = 0; rule < counts.length; rule++) {
                int n = counts[rule];
                if (n == 0 || participants.isEmpty()) {
                    continue;
                }
                // the newest copy of each bucket, buckets newest first
                LinkedHashMap<List<Object>, Backup> newestOfBucket = new LinkedHashMap<>();
                for (int i = 0; i < participants.size(); i++) {
                    newestOfBucket.putIfAbsent(bucket(rule, participants.get(i), p, i), participants.get(i));
                }
                int buckets = newestOfBucket.size();
                int take = n == RetentionPolicy.UNLIMITED ? buckets : Math.min(n, buckets);
                newestOfBucket.values().stream().limit(take).forEach(kept::add);
                // the oldest copy, when the rule still has a slot after all buckets
                if (p.keepOldestWhenShort() && (n == RetentionPolicy.UNLIMITED || n > buckets)) {
                    kept.add(participants.get(participants.size() - 1));
                }
            }
            List<Backup> ready = group.stream().filter(b -> b.state() == BackupState.READY && !extras.contains(b))
                    .sorted(Comparator.comparing(Backup::createTimestamp).reversed().thenComparing(Backup::backupId))
                    .toList();
            if (!ready.isEmpty() && participants.contains(ready.get(0))) {
                kept.add(ready.get(0));
            }
            long left = ready.stream().filter(b -> !participants.contains(b) || kept.contains(b)).count();
            for (Backup b : participants) {
                if (left < p.minReadyCopies() && !kept.contains(b)) {
                    kept.add(b);
                    left++;
                }
            }
            Set<String> deleted = new HashSet<>();
            participants.stream().filter(b -> !kept.contains(b)).forEach(b -> deleted.add(b.backupId()));
            extras.stream().filter(b -> b.state() == BackupState.READY && !b.neverExpires())
                    .forEach(b -> deleted.add(b.backupId()));
            return deleted;
        }

        private static List<Object> bucket(int rule, Backup b, RetentionPolicy p, int index) {
            ZonedDateTime t = b.createTimestamp().atZone(p.zone());
            return switch (rule) {
                case 0 -> List.of(index);
                case 1 -> List.of(t.getYear(), t.getDayOfYear(), t.getHour(), t.getOffset());
                case 2 -> List.of(t.getYear(), t.getDayOfYear());
                case 3 -> List.of(t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
                case 4 -> List.of(t.getYear(), t.getMonthValue());
                case 5 -> List.of(t.getYear());
                default -> fail("rule " + rule);
            };
        }
    }
}
