package io.github.cloudhsmdr.internal.retention;

import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.internal.CopySanity;
import io.github.cloudhsmdr.internal.retention.GroupEvaluator.Member;
import io.github.cloudhsmdr.internal.retention.GroupEvaluator.Outcome;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies a {@link RetentionPolicy} to the inventory of one destination region. Pure: no I/O; the caller lists
 * the backups and the clusters, and deletes what {@link RetentionEvaluation#toDelete()} names.
 *
 * <p><b>Scope.</b> A backup takes part only when it carries the ownership tag {@link CopyTags#OWNER} with this
 * replicator's name <em>and</em> was copied from the configured source region ({@link Backup#sourceRegion()},
 * else the {@link CopyTags#SOURCE_REGION} tag). Such copies are grouped by source cluster
 * ({@link Backup#sourceCluster()}, else the {@link CopyTags#SOURCE_CLUSTER} tag); each group is evaluated on its
 * own (see {@link GroupEvaluator} for the steps).
 *
 * <p><b>Listed but never touched</b> ({@link RetentionVerdict#PROTECTED}, with the reason): copies from the
 * source region that lack this replicator's ownership tag, copies carrying the tag but made from another
 * region, backups of clusters that live in the destination region, copies listed in another region, copies
 * without a source cluster or a CreateTimestamp, copies dated more than {@link CopySanity#CLOCK_SKEW_ALLOWANCE} in
 * the future or whose provenance tags contradict the service's fields ({@link CopySanity}), and, inside a group, NeverExpires copies and copies in any state
 * but READY. Backups that are neither ours nor copies from our source region (the destination's own backups,
 * copies from other regions) are left out of the result.
 *
 * <p>Thread-safe (immutable).
 */
public final class RetentionEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionEvaluator.class);

    private final RetentionPolicy policy;
    private final String ownerName;
    private final String sourceRegion;

    /**
     * @param policy       the retention policy
     * @param ownerName    the replicator's name: the value of its ownership tag {@link CopyTags#OWNER}
     * @param sourceRegion the replicator's source region
     */
    public RetentionEvaluator(RetentionPolicy policy, String ownerName, String sourceRegion) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.ownerName = Objects.requireNonNull(ownerName, "ownerName");
        this.sourceRegion = Objects.requireNonNull(sourceRegion, "sourceRegion");
    }

    /** @return the policy. */
    public RetentionPolicy policy() {
        return policy;
    }

    /**
     * Evaluates the policy on one destination region.
     *
     * @param destinationRegion     the destination region
     * @param inventory             every backup listed in the destination region (all pages, all states)
     * @param destinationClusterIds the ids of the clusters that live in the destination region; their backups
     *                              are never touched
     * @param now                   the time of the run
     * @return the decisions, one per listed copy in scope
     */
    public RetentionEvaluation evaluate(String destinationRegion, List<Backup> inventory,
                                        Set<String> destinationClusterIds, Instant now) {
        Objects.requireNonNull(destinationRegion, "destinationRegion");
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(destinationClusterIds, "destinationClusterIds");
        Objects.requireNonNull(now, "now");

        // one entry per backup id; a backup listed twice (e.g. across pages while it changed) with different
        // attributes is left alone this run
        Map<String, List<Backup>> byId = new LinkedHashMap<>();
        for (Backup b : inventory) {
            Objects.requireNonNull(b, "inventory element");
            byId.computeIfAbsent(b.backupId(), k -> new ArrayList<>()).add(b);
        }

        List<RetentionDecision> decisions = new ArrayList<>();
        Map<String, List<Member>> groups = new TreeMap<>();
        // copies of the source's backups without any ownership tag: never touched, but a copy is there
        Map<String, List<Member>> untagged = new TreeMap<>();
        for (List<Backup> listed : byId.values()) {
            Backup b = listed.get(0);
            String owner = b.tags().get(CopyTags.OWNER);
            String copiedFrom = sourceRegionOf(b);
            boolean owned = ownerName.equals(owner);
            boolean fromSource = sourceRegion.equals(copiedFrom);
            if (!owned && !fromSource) {
                continue;
            }
            String cluster = sourceClusterOf(b);
            List<String> reasons = new ArrayList<>();
            if (new HashSet<>(listed).size() > 1) {
                reasons.add("listed " + listed.size() + " times with different attributes");
            }
            if (!owned) {
                reasons.add(owner == null ? "no ownership tag " + CopyTags.OWNER
                        : "made by replicator '" + owner + "', not '" + ownerName + "'");
            }
            if (!fromSource) {
                reasons.add(copiedFrom == null ? "source region unknown"
                        : "copied from " + copiedFrom + ", not from " + sourceRegion);
            }
            if (!destinationRegion.equals(b.region())) {
                reasons.add("listed in " + b.region() + ", not in " + destinationRegion);
            }
            if (b.clusterId() != null && destinationClusterIds.contains(b.clusterId())) {
                reasons.add("backup of cluster " + b.clusterId() + ", which lives in " + destinationRegion);
            }
            if (cluster != null && !cluster.equals(b.clusterId()) && destinationClusterIds.contains(cluster)) {
                reasons.add("source cluster " + cluster + " lives in " + destinationRegion);
            }
            if (cluster == null) {
                reasons.add("source cluster unknown");
            }
            if (b.createTimestamp() == null) {
                reasons.add("no CreateTimestamp");
            }
            reasons.addAll(CopySanity.distrust(b, now));
            if (reasons.isEmpty()) {
                groups.computeIfAbsent(cluster, k -> new ArrayList<>())
                        .add(new Member(b, sourceBackupOf(b), b.state(), b.createTimestamp()));
                continue;
            }
            if (owner == null && fromSource && cluster != null && b.createTimestamp() != null
                    && destinationRegion.equals(b.region()) && b.state().isLive()) {
                untagged.computeIfAbsent(cluster, k -> new ArrayList<>())
                        .add(new Member(b, sourceBackupOf(b), b.state(), b.createTimestamp()));
            }
            if (b.neverExpires()) {
                reasons.add("NeverExpires");
            }
            if (b.state() != BackupState.READY) {
                reasons.add(b.state() == BackupState.UNKNOWN ? "state UNKNOWN" : b.state().name());
            }
            decisions.add(decision(b, destinationRegion, cluster, RetentionVerdict.PROTECTED, reasons));
        }

        Map<String, Set<String>> deletedByCluster = new TreeMap<>();
        for (Map.Entry<String, List<Member>> group : groups.entrySet()) {
            Map<Member, Outcome> outcomes = GroupEvaluator.evaluate(policy, group.getValue(), now);
            Set<String> deleted = new HashSet<>();
            for (Member m : group.getValue()) {
                Outcome o = outcomes.get(m);
                decisions.add(decision(m.backup(), destinationRegion, group.getKey(), o.verdict(), o.reasons()));
                if (o.verdict().deletes()) {
                    deleted.add(m.backup().backupId());
                }
            }
            deletedByCluster.put(group.getKey(), deleted);
            LOG.debug("retention evaluated destinationRegion={} sourceCluster={} copies={} delete={} policy={}",
                    destinationRegion, group.getKey(), group.getValue().size(), deleted.size(), policy);
        }
        decisions.sort(DECISION_ORDER);
        return new RetentionEvaluation(this, destinationRegion, now, decisions, groups, deletedByCluster, untagged);
    }

    /** The group as the next run will see it: this run's deletions PENDING_DELETION, copies in progress READY. */
    static List<Member> lookAhead(Collection<Member> members, Set<String> deletedThisRun) {
        List<Member> view = new ArrayList<>();
        for (Member m : members) {
            BackupState s = deletedThisRun.contains(m.backup().backupId()) ? BackupState.PENDING_DELETION
                    : m.state() == BackupState.CREATE_IN_PROGRESS ? BackupState.READY : m.state();
            view.add(new Member(m.backup(), m.sourceBackupKey(), s, m.createTimestamp(), m.hypothetical()));
        }
        return view;
    }

    static Set<String> keptCandidates(RetentionPolicy policy, List<Member> view, String region,
                                      Map<String, Instant> candidates, Instant now) {
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(now, "now");
        Set<String> live = new HashSet<>();
        for (Member m : view) {
            if (m.sourceBackupKey() != null && m.state().isLive()) {
                live.add(m.sourceBackupKey());
            }
        }
        List<Member> all = new ArrayList<>(view);
        Map<String, Member> hypothetical = new LinkedHashMap<>();
        for (Map.Entry<String, Instant> c : candidates.entrySet()) {
            String source = Objects.requireNonNull(c.getKey(), "candidate source backup id");
            Instant created = Objects.requireNonNull(c.getValue(), "candidate CreateTimestamp");
            if (live.contains(source)) {
                continue;
            }
            // the id sorts after real ids ("backup-…") when CreateTimestamps are equal
            Backup copy = Backup.builder("~candidate:" + source, region).state(BackupState.READY)
                    .createTimestamp(created).copyTimestamp(now).sourceBackup(source).build();
            Member m = new Member(copy, source, BackupState.READY, created, true);
            hypothetical.put(source, m);
            all.add(m);
        }
        if (hypothetical.isEmpty()) {
            return Set.of();
        }
        Map<Member, Outcome> outcomes = GroupEvaluator.evaluate(policy, all, now);
        Set<String> kept = new HashSet<>();
        hypothetical.forEach((source, m) -> {
            if (outcomes.get(m).verdict() == RetentionVerdict.KEEP) {
                kept.add(source);
            }
        });
        return Set.copyOf(kept);
    }

    private static final Comparator<RetentionDecision> DECISION_ORDER = Comparator
            .comparing(RetentionDecision::sourceCluster, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(RetentionDecision::createTimestamp, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(RetentionDecision::backupId);

    private static RetentionDecision decision(Backup b, String destinationRegion, String cluster,
                                              RetentionVerdict verdict, List<String> reasons) {
        return new RetentionDecision(b.backupId(), destinationRegion, cluster, sourceBackupOf(b), b.createTimestamp(),
                b.state(), verdict, reasons);
    }

    static String sourceRegionOf(Backup b) {
        return b.originRegion();
    }

    static String sourceClusterOf(Backup b) {
        return b.originCluster();
    }

    static String sourceBackupOf(Backup b) {
        return b.originBackup();
    }
}
