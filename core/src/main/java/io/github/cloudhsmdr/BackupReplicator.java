package io.github.cloudhsmdr;

import java.util.List;

/**
 * Copies the READY backups of CloudHSM clusters in one source region to one or more destination regions,
 * exactly once per (source backup, destination region), and reports what it did.
 *
 * <p>Use {@link #plan()} for a dry run, {@link #apply(ReplicationPlan)} to carry a plan out, or
 * {@link #replicate()} for both. The destination regions themselves are the record of what was copied
 * (copies are found by their source backup id), so a new replicator after a restart copies nothing twice.
 *
 * <p>Built replicators are thread-safe, but runs of one replicator should not overlap: the scheduling
 * helpers guarantee that.
 *
 * <pre>{@code
 * try (BackupReplicator replicator = BackupReplicator.builder()
 *         .sourceRegion("us-east-1")
 *         .destinationRegions("us-west-2", "eu-west-1")
 *         .build()) {
 *     ReplicationReport report = replicator.replicate();
 * }
 * }</pre>
 */
public interface BackupReplicator extends AutoCloseable {

    /** @return a new builder; see {@link ReplicatorBuilder} for every setting and its default. */
    static ReplicatorBuilder builder() {
        return new ReplicatorBuilder();
    }

    /** @return the replicator's name, which is also the value of its ownership tag. */
    default String name() {
        return config().name();
    }

    /** @return the replicator's configuration. */
    ReplicatorConfig config();

    /**
     * Computes what a run would do now, without changing anything (the dry run). Failures to list a
     * region are recorded in the plan, not thrown.
     */
    ReplicationPlan plan();

    /**
     * Carries out {@code plan}: starts its copies, finds them in their destinations and reports. Failures
     * are recorded in the report, not thrown; one failing destination never stops the others.
     *
     * @throws IllegalArgumentException when {@code plan} was made by another replicator or names a source region,
     *                                  destination region or cluster this replicator is not configured for; nothing
     *                                  is done then
     */
    ReplicationReport apply(ReplicationPlan plan);

    /**
     * Brings back, with RestoreBackup, every copy that retention deleted in the run of {@code report} and that
     * is still PENDING_DELETION (for 7 days after the deletion). Failures are in the outcomes, not thrown.
     *
     * @throws IllegalArgumentException when {@code report} was made by another replicator (name or source region)
     *                                  or names a deletion in a region this replicator is not configured for;
     *                                  nothing is restored then
     */
    List<UndoOutcome> undoDeletions(ReplicationReport report);

    /**
     * Takes ownership of the untagged copies {@code plan} lists ({@link DestinationPlan#untaggedCopies()}): copies
     * of this replicator's own source backups, from its source region, that lie in a destination without its
     * ownership tag (the service dropped the tags of the copy request, or someone removed them). Puts the ownership
     * and provenance tags on each with TagResource, so that retention manages them from then on. Never done
     * implicitly: run it under a policy that allows {@code cloudhsm:TagResource} on the destination's backups
     * (see the README's IAM section). Failures are in the outcomes, not thrown.
     *
     * @param plan a plan of this replicator, from {@link #plan()}
     * @return one outcome per copy
     */
    List<AdoptionOutcome> adoptCopies(ReplicationPlan plan);

    /** Plans and applies in one go. */
    default ReplicationReport replicate() {
        return apply(plan());
    }

    /**
     * Measures the recovery point each region really holds for each cluster: the newest READY backup in
     * the source region and the newest READY copy in every destination, their age, copy lag and how far
     * each destination is behind the source, against the configured objective. Reads only.
     */
    RecoveryPointReport measureRecoveryPoints();

    /** Releases what the replicator created (the AWS clients it built); caller-supplied ones stay open. */
    @Override
    void close();
}
