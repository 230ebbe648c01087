package io.github.cloudhsmdr.internal.retention;

import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.internal.retention.GroupEvaluator.Member;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The result of {@link RetentionEvaluator#evaluate}: one {@link RetentionDecision} per copy in scope in one
 * destination region, and the means to ask whether a new copy would be kept ({@link #wouldKeep}). Immutable and
 * thread-safe.
 */
public final class RetentionEvaluation {
    private final RetentionEvaluator evaluator;
    private final String destinationRegion;
    private final Instant now;
    private final List<RetentionDecision> decisions;
    private final Map<String, List<Member>> groups;
    private final Map<String, Set<String>> deletedByCluster;
    private final Map<String, List<Member>> untagged;

    RetentionEvaluation(RetentionEvaluator evaluator, String destinationRegion, Instant now,
                        List<RetentionDecision> decisions, Map<String, List<Member>> groups,
                        Map<String, Set<String>> deletedByCluster, Map<String, List<Member>> untagged) {
        this.evaluator = evaluator;
        this.destinationRegion = destinationRegion;
        this.now = now;
        this.decisions = List.copyOf(decisions);
        this.groups = Map.copyOf(groups);  // lists are never changed after evaluate()
        this.deletedByCluster = Map.copyOf(deletedByCluster);
        this.untagged = Map.copyOf(untagged);
    }

    /** @return the destination region evaluated. */
    public String destinationRegion() {
        return destinationRegion;
    }

    /** @return the time of the run the evaluation used. */
    public Instant now() {
        return now;
    }

    /** @return the policy applied. */
    public RetentionPolicy policy() {
        return evaluator.policy();
    }

    /**
     * @return every decision: per source cluster (by id, unknown last), newest first; protected copies outside any
     * group included
     */
    public List<RetentionDecision> decisions() {
        return decisions;
    }

    /** @return the decisions for one source cluster's copies, newest first. */
    public List<RetentionDecision> decisionsFor(String sourceCluster) {
        Objects.requireNonNull(sourceCluster, "sourceCluster");
        return decisions.stream().filter(d -> sourceCluster.equals(d.sourceCluster())).toList();
    }

    /** @return the copies to delete ({@link RetentionVerdict#DELETE} and {@link RetentionVerdict#DELETE_DUPLICATE}). */
    public List<RetentionDecision> toDelete() {
        return decisions.stream().filter(RetentionDecision::deletes).toList();
    }

    /** @return the copies kept by a rule, the newest-READY rule or the floor ({@link RetentionVerdict#KEEP}). */
    public List<RetentionDecision> kept() {
        return withVerdict(RetentionVerdict.KEEP);
    }

    /** @return the decisions with the given verdict. */
    public List<RetentionDecision> withVerdict(RetentionVerdict verdict) {
        Objects.requireNonNull(verdict, "verdict");
        return decisions.stream().filter(d -> d.verdict() == verdict).toList();
    }

    /** @return the source clusters that have at least one copy in scope (a group) in this region. */
    public Set<String> sourceClusters() {
        return groups.keySet();
    }

    /**
     * Would a new copy of a source backup be kept? Evaluates the group as the next run will see it (this
     * evaluation's deletions gone, copies in progress READY) plus a READY copy of the source backup, and says
     * whether that copy is kept. False when the source backup already has a live copy in the group (including one
     * this evaluation deletes): copying it again would make a duplicate or undo retention.
     *
     * <p>The floor ({@link RetentionPolicy#minReadyCopies()}) takes the copies already there (READY or in progress)
     * before any new copy: a backup is copied for the floor only when the copies there cannot make it up, never
     * to take the floor slot of a copy that is there (which would then be deleted: churn). Without this a newer
     * backup, by taking the rule slots of several older copies at once, could free floor slots that an older
     * backup declined before would then be copied for.
     *
     * <p>To decide several source backups of one cluster, use {@link #wouldKeep(String, Map)}: copies made in the
     * same run compete for the same slots. The answer holds until newer copies arrive, except that with
     * {@link RetentionPolicy.KeepWithinAnchor#NOW} a copy kept only by {@code keepWithin} may age out first.
     *
     * @param sourceCluster   the source backup's cluster
     * @param sourceBackupId  the source backup's id
     * @param createTimestamp the source backup's CreateTimestamp
     * @return true when the copy would be kept, so making it does not churn
     */
    public boolean wouldKeep(String sourceCluster, String sourceBackupId, Instant createTimestamp) {
        Objects.requireNonNull(sourceBackupId, "sourceBackupId");
        Objects.requireNonNull(createTimestamp, "createTimestamp");
        return wouldKeep(sourceCluster, Map.of(sourceBackupId, createTimestamp)).contains(sourceBackupId);
    }

    /**
     * Which of several new copies of one source cluster's backups would be kept if all were made in this run; see
     * {@link #wouldKeep(String, String, Instant)}.
     *
     * @param sourceCluster the source cluster
     * @param candidates    source backup id to its CreateTimestamp
     * @return the source backup ids whose copies would be kept
     */
    public Set<String> wouldKeep(String sourceCluster, Map<String, Instant> candidates) {
        Objects.requireNonNull(sourceCluster, "sourceCluster");
        List<Member> group = groups.getOrDefault(sourceCluster, List.of());
        List<Member> members = new java.util.ArrayList<>(group);
        // copies without the ownership tag are never deleted, so they hold their place: a backup they stand for
        // is not copied again, and they take the slots a new copy would otherwise get
        members.addAll(untagged.getOrDefault(sourceCluster, List.of()));
        List<Member> view = RetentionEvaluator.lookAhead(members, deletedByCluster.getOrDefault(sourceCluster, Set.of()));
        return RetentionEvaluator.keptCandidates(evaluator.policy(), view, destinationRegion, candidates, now);
    }

    @Override
    public String toString() {
        return "RetentionEvaluation[destinationRegion=" + destinationRegion + ", now=" + now + ", decisions="
                + decisions.size() + ", toDelete=" + toDelete().size() + "]";
    }
}
