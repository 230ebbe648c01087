package io.github.cloudhsmdr;

import java.util.List;
import java.util.Objects;

/**
 * What a run did for one (source cluster, destination region) pair.
 *
 * @param clusterId         the source cluster
 * @param destinationRegion the destination region
 * @param status            SUCCESS when the pair holds what the policy promises, FAILED when nothing could be done,
 *                          else PARTIAL (the {@code reasons} say why)
 * @param copies            one outcome per selected source backup
 * @param failure           why the whole pair failed (e.g. listing the destination failed), or {@code null}
 * @param retention         retention's decisions for the cluster's copies after this run's copies (empty
 *                          without a retention policy)
 * @param deletions         the copies retention deleted (or failed to)
 * @param retentionNote     why retention deleted nothing this run although it would have (deferred after a
 *                          failed copy, or its listing failed), or empty
 * @param untaggedCopies    how many copies of this cluster's backups from the source region lie in the destination
 *                          without this library's ownership tag: retention can neither count them as its own nor
 *                          delete them (see {@link BackupReplicator#adoptCopies})
 * @param reasons           why the pair is not SUCCESS, one line each with its remedy; empty when it is
 */
public record DestinationOutcome(
        String clusterId,
        String destinationRegion,
        RunStatus status,
        List<CopyOutcome> copies,
        Failure failure,
        List<RetentionDecision> retention,
        List<Deletion> deletions,
        String retentionNote,
        int untaggedCopies,
        List<String> reasons) {

    public DestinationOutcome {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(destinationRegion, "destinationRegion");
        Objects.requireNonNull(status, "status");
        copies = List.copyOf(copies);
        retention = retention == null ? List.of() : List.copyOf(retention);
        deletions = deletions == null ? List.of() : List.copyOf(deletions);
        retentionNote = retentionNote == null ? "" : retentionNote;
        if (untaggedCopies < 0) {
            throw new IllegalArgumentException("untaggedCopies must be >= 0, was " + untaggedCopies);
        }
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** An outcome without untagged copies and without reasons. */
    public DestinationOutcome(String clusterId, String destinationRegion, RunStatus status, List<CopyOutcome> copies,
            Failure failure, List<RetentionDecision> retention, List<Deletion> deletions, String retentionNote) {
        this(clusterId, destinationRegion, status, copies, failure, retention, deletions, retentionNote, 0, List.of());
    }

    /** An outcome without retention. */
    public DestinationOutcome(
            String clusterId, String destinationRegion, RunStatus status, List<CopyOutcome> copies, Failure failure) {
        this(clusterId, destinationRegion, status, copies, failure, List.of(), List.of(), "", 0, List.of());
    }

    /** @return how many of this pair's outcomes have the given action. */
    public long count(CopyAction action) {
        return copies.stream().filter(c -> c.action() == action).count();
    }

    /**
     * The pair as readable lines, indented by two spaces: its status (and why), each copy with the source
     * backup's creation time, each deletion, the retention note and the untagged copies. Times to the second.
     *
     * @return the lines, each ending with a newline
     */
    public String describe() {
        StringBuilder sb = new StringBuilder("  ").append(clusterId).append(" -> ").append(destinationRegion)
                .append(": ").append(status);
        if (failure != null) {
            sb.append(" (").append(failure.message()).append(')');
        }
        sb.append('\n');
        for (CopyOutcome c : copies) {
            sb.append("    ").append(c.action()).append(' ').append(c.sourceBackupId()).append(" (")
                    .append(second(c.createTimestamp())).append(')');
            if (c.destinationBackupId() != null) {
                sb.append(" -> ").append(c.destinationBackupId()).append(' ').append(c.destinationState());
            }
            if (c.failure() != null) {
                sb.append(": ").append(c.failure().message());
            } else if (!c.detail().isEmpty()) {
                sb.append(": ").append(c.detail());
            }
            sb.append('\n');
        }
        for (Deletion d : deletions) {
            sb.append("    ").append(d.succeeded() ? "DELETED " : "DELETE FAILED ").append(d.backupId())
                    .append(" (copy of ").append(d.sourceBackupId()).append(", ").append(second(d.createTimestamp()))
                    .append(", ").append(d.verdict()).append(')');
            if (d.succeeded()) {
                sb.append(" pending deletion until ").append(second(d.deleteTimestamp()));
            } else {
                sb.append(": ").append(d.failure().message());
            }
            if (!d.reasons().isEmpty()) {
                sb.append(": ").append(String.join("; ", d.reasons()));
            }
            sb.append('\n');
        }
        if (!retentionNote.isEmpty()) {
            sb.append("    retention: ").append(retentionNote).append('\n');
        }
        if (untaggedCopies > 0) {
            sb.append("    untagged copies: ").append(untaggedCopies).append('\n');
        }
        for (String r : reasons) {
            sb.append("    why ").append(status).append(": ").append(r).append('\n');
        }
        return sb.toString();
    }

    private static String second(java.time.Instant t) {
        return t == null ? "-" : t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}
